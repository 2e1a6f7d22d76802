// Keys of the run screen → the run state's callbacks.
import {useInput} from 'ink';
import type {PromptChoice, RunStatus} from '../../engine/types.js';
import {choiceKeys, choiceOrder} from './prompt-keys.js';
import type {UseRunStateResult} from './use-run-state.js';

/** Where the operator wants to go once a run has ended. */
export type RunCloseTarget = 'home' | 'exit';

export interface UseRunInputOptions {
	/** Called after the run ended, on ⏎ (`home`) or q/esc (`exit`). */
	readonly onClose?: (status: RunStatus, then: RunCloseTarget) => void;
	/** s after the run ended: save its answers; without it the key does nothing. */
	readonly onSave?: () => void;
	/** Listen to keys; false while another component owns the keyboard. */
	readonly isActive?: boolean;
}

function choiceFor(input: string, isReturn: boolean): PromptChoice | undefined {
	if (isReturn) {
		return 'apply';
	}

	return choiceOrder.find(choice => choiceKeys[choice].keys.includes(input.toLowerCase()));
}

/** Wires the run screen's keys: prompt answers, d, l, q (and ctrl+c, which quits the same safe way); s on the summary. */
export function useRunInput(
	{state, answer, stop, toggleLog, toggleDiff}: UseRunStateResult,
	{onClose, onSave, isActive = true}: UseRunInputOptions = {},
): void {
	useInput(
		(input, key) => {
			const ended = state.endStatus;
			if (ended !== undefined) {
				if (input === 'l') {
					toggleLog();
				} else if (input === 's') {
					onSave?.();
				} else if (key.return) {
					onClose?.(ended, 'home');
				} else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
					onClose?.(ended, 'exit');
				}

				return;
			}

			if (input === 'q' || (key.ctrl && input === 'c')) {
				stop();
				return;
			}

			if (input === 'l') {
				toggleLog();
				return;
			}

			if (input === 'd') {
				toggleDiff();
				return;
			}

			const choice = choiceFor(input, key.return);
			if (choice !== undefined) {
				answer(choice);
			}
		},
		{isActive},
	);
}
