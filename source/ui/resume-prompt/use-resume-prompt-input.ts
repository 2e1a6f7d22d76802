// Keys of the resume question: y or ⏎ resumes, n or esc goes back.
import {useInput} from 'ink';

export interface UseResumePromptInputOptions {
	/** y or ⏎. */
	readonly onResume: () => void;
	/** n or esc. */
	readonly onCancel: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** Wires y/⏎ and n/esc. */
export function useResumePromptInput({onResume, onCancel, isActive = true}: UseResumePromptInputOptions): void {
	useInput(
		(input, key) => {
			if (input === 'y' || key.return) {
				onResume();
			} else if (input === 'n' || key.escape) {
				onCancel();
			}
		},
		{isActive},
	);
}
