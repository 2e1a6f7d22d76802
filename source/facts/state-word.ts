// Facts read from a probe that prints one state word (running, active, present): the step only asks which.
import type {FactDef} from '../engine/step.js';
import {commandOutput} from './command.js';

/** Whether the command succeeded and its trimmed output is one of these words; false when it failed or could not run. */
export function commandSays(command: string, words: readonly string[]): FactDef<boolean> {
	const def = commandOutput(command);
	return {request: def.request, parse: fact => words.includes(def.parse(fact) ?? '')};
}
