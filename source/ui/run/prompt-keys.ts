// The keys that answer a prompt on the run screen: one table for the key handler and the hints.
import type {PromptChoice} from '../../engine/types.js';

/** The keys that answer each prompt choice, as typed and as shown. */
export const choiceKeys: Readonly<Record<PromptChoice, {readonly keys: readonly string[]; readonly label: string; readonly hint: string}>> = {
	apply: {keys: ['y', '\r'], label: '⏎/y', hint: 'apply'},
	skip: {keys: ['s'], label: 's', hint: 'skip'},
	retry: {keys: ['r'], label: 'r', hint: 'retry'},
	abort: {keys: ['a'], label: 'a', hint: 'abort'},
	wait: {keys: ['w'], label: 'w', hint: 'wait for it'},
	end: {keys: ['e'], label: 'e', hint: 'end it'},
};

/** Prompt choices in the order their keys are shown. */
export const choiceOrder: readonly PromptChoice[] = ['apply', 'wait', 'end', 'skip', 'retry', 'abort'];
