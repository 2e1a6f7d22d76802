// Keys of the home screen → its state's callbacks; ↑↓ and ⏎ belong to the focused list.
import {useInput} from 'ink';
import type {UseHomeStateResult} from './use-home-state.js';

export interface UseHomeInputOptions {
	/** Both lists have rows, so tab has somewhere to go. */
	readonly canSwitch: boolean;
	/** q. */
	readonly onQuit: () => void;
	/** Listen to keys; false while the resume question has them. */
	readonly isActive: boolean;
}

/** Wires tab and q. */
export function useHomeInput({toggleFocus}: UseHomeStateResult, {canSwitch, onQuit, isActive}: UseHomeInputOptions): void {
	useInput(
		(input, key) => {
			if (key.tab && canSwitch) {
				toggleFocus();
			} else if (input === 'q') {
				onQuit();
			}
		},
		{isActive},
	);
}
