// A `waymark run` command line as the operator pastes it: the same targets (role=spec where a guide has several
// roles), ssh config and answers file as the run it comes from, every value shell-quoted.
import type {Wizard} from './engine/types.js';
import {quote} from './targets/quote.js';

export interface RunCommandParts {
	readonly bindings: Readonly<Record<string, readonly string[]>>;
	readonly sshConfig?: string | undefined;
	readonly answersFile?: string | undefined;
	/** Flags that end the line (`--only STEP`, `--yes`). */
	readonly extra?: readonly string[];
}

export function runCommand(wizard: Wizard, {bindings, sshConfig, answersFile, extra = []}: RunCommandParts): string {
	return [
		'waymark run',
		wizard.id,
		...Object.entries(bindings).flatMap(([role, list]) => list.map(spec => `--target ${quote(wizard.roles.length > 1 ? `${role}=${spec}` : spec)}`)),
		...(sshConfig ? [`--ssh-config ${quote(sshConfig)}`] : []),
		...(answersFile ? [`--answers ${quote(answersFile)}`] : []),
		...extra,
	].join(' ');
}
