// Keys of the guide overview: ⏎ goes on, c checks the hosts (when offered), esc or q goes back, ↑↓ scroll the steps.
import {useInput} from 'ink';

export interface UseOverviewInputOptions {
	/** ⏎. */
	readonly onContinue: () => void;
	/** esc or q. */
	readonly onBack: () => void;
	/** c; without it the key does nothing. */
	readonly onCheck?: () => void;
	/** ↑ (-1) and ↓ (+1): scroll the list of steps by one. */
	readonly onScroll?: (by: number) => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** Wires ⏎, c, esc, q and ↑↓. */
export function useOverviewInput({onContinue, onBack, onCheck, onScroll, isActive = true}: UseOverviewInputOptions): void {
	useInput(
		(input, key) => {
			if (key.return) {
				onContinue();
			} else if (input === 'c' && onCheck !== undefined) {
				onCheck();
			} else if (key.escape || input === 'q') {
				onBack();
			} else if (key.upArrow || key.downArrow) {
				onScroll?.(key.upArrow ? -1 : 1);
			}
		},
		{isActive},
	);
}
