// Keys of the check report → its state's callbacks and the screen's moves.
import {useInput} from 'ink';
import type {UseCheckReportStateResult} from './use-check-report-state.js';

export interface UseCheckReportInputOptions {
	/** r. */
	readonly onRecheck: () => void;
	/** esc. */
	readonly onBack: () => void;
	/** q. */
	readonly onQuit: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** Wires ↑↓ space ⏎ a r esc q. */
export function useCheckReportInput(
	{selectPrevious, selectNext, toggleMark, fix, togglePasses}: UseCheckReportStateResult,
	{onRecheck, onBack, onQuit, isActive = true}: UseCheckReportInputOptions,
): void {
	useInput(
		(input, key) => {
			if (key.upArrow) {
				selectPrevious();
			} else if (key.downArrow) {
				selectNext();
			} else if (input === ' ') {
				toggleMark();
			} else if (key.return) {
				fix();
			} else if (input === 'a') {
				togglePasses();
			} else if (input === 'r') {
				onRecheck();
			} else if (key.escape) {
				onBack();
			} else if (input === 'q') {
				onQuit();
			}
		},
		{isActive},
	);
}
