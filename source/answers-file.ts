// `waymark answers GUIDE`: a YAML file with every param, its type, default and help as comments.
import {expectation} from './engine/params.js';
import type {ParamValue, Wizard} from './engine/types.js';

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

export function answersTemplate(wizard: Wizard): string {
	const lines = [`# Answers for \`waymark run ${wizard.id} --answers FILE\`: ${wizard.title}`, `# Roles to bind with --target: ${wizard.roles.join(', ')}`, ''];
	for (const param of wizard.params) {
		lines.push(
			`# ${param.help}`,
			`# ${param.type}: ${expectation(param)}${param.type === 'secret' ? ' — kept in this file only; Waymark never stores it' : ''}`,
		);
		lines.push(
			param.default !== undefined
				? `${param.name}: ${yamlValue(param.default)}`
				: param.optional
					? `${param.name}: ""  # may be empty`
					: `${param.name}:  # required`,
			'',
		);
	}

	return `${lines.join('\n')}`;
}

/**
 * The answers a run used, as an answers file to replay it elsewhere (`--yes --answers FILE`). Secrets are left out,
 * each named with `# asked at run time`, so the file can be shared and kept.
 */
export function recordedAnswers(wizard: Wizard, answers: Readonly<Record<string, ParamValue>>): string {
	const lines = [`# Answers recorded from a run of ${wizard.id} (${wizard.title}); replay with: waymark run ${wizard.id} --answers FILE --yes`, ''];
	for (const param of wizard.params) {
		if (param.type === 'secret') {
			lines.push(`# ${param.name}: asked at run time (secrets are never written to an answers file)`);
		} else if (answers[param.name] !== undefined) {
			lines.push(`${param.name}: ${yamlValue(answers[param.name])}`);
		}
	}

	return `${lines.join('\n')}\n`;
}
