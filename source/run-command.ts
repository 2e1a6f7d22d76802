// `waymark run` and `waymark check` command lines as the operator pastes them: the same targets (role=spec where a
// guide has several roles), ssh config and answers file as the run they come from, every value shell-quoted.
import type {Wizard} from './engine/types.js';
import {quote} from './targets/quote.js';

export interface RunCommandParts {
	readonly bindings: Readonly<Record<string, readonly string[]>>;
	readonly sshConfig?: string | undefined;
	readonly answersFile?: string | undefined;
	/** Flags that end the line (`--only STEP`, `--yes`). */
	readonly extra?: readonly string[];
}

export function runCommand(wizard: Pick<Wizard, 'id' | 'roles'>, parts: RunCommandParts): string {
	return commandLine('run', wizard, parts);
}

/** The read-only check of the same targets; without --answers it takes the newest saved run's answers. */
export function checkCommand(wizard: Pick<Wizard, 'id' | 'roles'>, parts: RunCommandParts): string {
	return commandLine('check', wizard, parts);
}

function commandLine(verb: 'run' | 'check', wizard: Pick<Wizard, 'id' | 'roles'>, {bindings, sshConfig, answersFile, extra = []}: RunCommandParts): string {
	return [
		`waymark ${verb}`,
		wizard.id,
		...Object.entries(bindings).flatMap(([role, list]) => list.map(spec => `--target ${quote(wizard.roles.length > 1 ? `${role}=${spec}` : spec)}`)),
		...(sshConfig ? [`--ssh-config ${quote(sshConfig)}`] : []),
		...(answersFile ? [`--answers ${quote(answersFile)}`] : []),
		...extra,
	].join(' ');
}
