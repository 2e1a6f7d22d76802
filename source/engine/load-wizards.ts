// Wizards are data modules checked when they load, so a broken wizard fails at start, not mid-run on a host.
import type {Wizard} from './types.js';

/** Lists every inconsistency in a wizard; empty when it is sound. */
export function wizardProblems(wizard: Wizard): string[] {
	const problems: string[] = [];
	const params = new Set(wizard.params.map(param => param.name));
	const seen = new Set<string>();
	if (!/^[a-z][a-z\d-]*$/.test(wizard.id)) {
		problems.push(`id ${JSON.stringify(wizard.id)} is not kebab-case`);
	}

	if (params.size !== wizard.params.length) {
		problems.push('two params share a name');
	}

	for (const param of wizard.params) {
		if (param.type === 'enum' && (param.choices ?? []).length === 0) {
			problems.push(`param ${param.name} is an enum without choices`);
		}
	}

	for (const step of wizard.steps) {
		if (seen.has(step.id)) {
			problems.push(`step id ${step.id} appears twice`);
		}

		seen.add(step.id);
		if (!wizard.roles.includes(step.role)) {
			problems.push(`step ${step.id} runs on unknown role ${step.role}`);
		}

		for (const name of step.params ?? []) {
			if (!params.has(name)) {
				problems.push(`step ${step.id} reads unknown param ${name}`);
			}
		}

		if (step.why.trim().length < 20) {
			problems.push(`step ${step.id} does not say why`);
		}
	}

	return problems.map(problem => `${wizard.id}: ${problem}`);
}

export function checkWizards(wizards: readonly Wizard[]): readonly Wizard[] {
	const problems = wizards.flatMap(wizard => wizardProblems(wizard));
	const ids = wizards.map(wizard => wizard.id);
	for (const id of new Set(ids)) {
		if (ids.filter(other => other === id).length > 1) {
			problems.push(`wizard id ${id} appears twice`);
		}
	}

	if (problems.length > 0) {
		throw new Error(`Invalid wizard definitions:\n${problems.join('\n')}`);
	}

	return wizards;
}
