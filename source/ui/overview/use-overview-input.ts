// Keys of the guide overview: ⏎ goes on, c checks the hosts (when offered), esc or q goes back.
import {useInput} from 'ink';

export interface UseOverviewInputOptions {
	/** ⏎. */
	readonly onContinue: () => void;
	/** esc or q. */
	readonly onBack: () => void;
	/** c; without it the key does nothing. */
	readonly onCheck?: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** Wires ⏎, c, esc and q. */
export function useOverviewInput({onContinue, onBack, onCheck, isActive = true}: UseOverviewInputOptions): void {
	useInput(
		(input, key) => {
			if (key.return) {
				onContinue();
			} else if (input === 'c' && onCheck !== undefined) {
				onCheck();
			} else if (key.escape || input === 'q') {
				onBack();
			}
		},
		{isActive},
	);
}
