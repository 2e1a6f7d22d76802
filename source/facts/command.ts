// Facts read by running a read-only command on the target. An offline root:DIR cannot answer them: `undefined`.
import type {FactDef} from '../engine/step.js';
import {quote} from '../engine/quote.js';

/** The trimmed output of a command that succeeded; undefined when it failed or could not run (offline target). */
export function commandOutput(command: string): FactDef<string | undefined> {
	return {request: {kind: 'command', command}, parse: fact => (fact.unavailable || fact.exitCode !== 0 ? undefined : fact.text.trim())};
}

/** The whole answer of a command whose exit code matters; undefined only when it could not run at all. */
export function commandResult(command: string): FactDef<{readonly text: string; readonly exitCode: number} | undefined> {
	return {request: {kind: 'command', command}, parse: fact => (fact.unavailable ? undefined : {text: fact.text, exitCode: fact.exitCode})};
}

/** Where a program is (`command -v`), undefined when it is missing or the target cannot be asked. */
export function programPath(name: string): FactDef<string | undefined> {
	return commandOutput(`command -v ${quote(name)}`);
}

/** Whether the target could answer commands at all: false on an offline root:DIR. */
export function answered(def: FactDef<unknown>): FactDef<boolean> {
	return {request: def.request, parse: fact => !fact.unavailable};
}

/**
 * A command's answer where "could not ask" and "failed" lead to different plans: undefined when the target could not
 * run it (offline root:DIR), null when it failed, else its trimmed output.
 */
export function commandAnswer(command: string): FactDef<string | null | undefined> {
	return {request: {kind: 'command', command}, parse: fact => (fact.unavailable ? undefined : fact.exitCode !== 0 ? null : fact.text.trim())};
}

/** A command's output as its non-empty lines, none when it failed or could not run. */
export function commandLines(command: string): FactDef<readonly string[]> {
	return {
		request: {kind: 'command', command},
		parse: fact =>
			fact.unavailable || fact.exitCode !== 0
				? []
				: fact.text
						.trim()
						.split('\n')
						.filter(line => line !== ''),
	};
}
