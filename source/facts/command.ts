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
