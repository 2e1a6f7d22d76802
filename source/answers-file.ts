// `waymark answers GUIDE`: a YAML file with every param, its type, default and help as comments.
import {expectedForm} from './engine/params.js';
import type {Param, ParamValue, Wizard} from './engine/types.js';

function yamlValue(value: ParamValue | undefined): string {
	if (value === undefined) {
		return '';
	}

	if (typeof value === 'boolean') {
		return value ? 'true' : 'false';
	}

	if (Array.isArray(value)) {
		return `[${(value as readonly string[]).map(item => JSON.stringify(item)).join(', ')}]`;
	}

	return JSON.stringify(value);
}

function expected(param: Param): string {
	return param.type === 'enum' ? `one of ${(param.choices ?? []).join(', ')}` : expectedForm[param.type];
}

export function answersTemplate(wizard: Wizard): string {
	const lines = [`# Answers for \`waymark run ${wizard.id} --answers FILE\`: ${wizard.title}`, `# Roles to bind with --target: ${wizard.roles.join(', ')}`, ''];
	for (const param of wizard.params) {
		lines.push(
			`# ${param.help}`,
			`# ${param.type}: ${expected(param)}${param.optional ? ' (may be empty)' : ''}${param.type === 'secret' ? ' — kept in this file only; Waymark never stores it' : ''}`,
		);
		lines.push(param.default === undefined ? `${param.name}:  # required` : `${param.name}: ${yamlValue(param.default)}`, '');
	}

	return `${lines.join('\n')}`;
}
