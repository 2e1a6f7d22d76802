// The one key the app itself handles: ctrl+c leaves from every screen but the run.
import {useInput} from 'ink';

export interface UseAppInputOptions {
	/** ctrl+c. */
	readonly onQuit: () => void;
	/** False on the run screen, which stops the run the safe way instead. */
	readonly isActive: boolean;
}

/** The CLI renders with exitOnCtrlC off so a run can stop safely; elsewhere ctrl+c simply leaves. */
export function useAppInput({onQuit, isActive}: UseAppInputOptions): void {
	useInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				onQuit();
			}
		},
		{isActive},
	);
}
