// Keys of the params form → its state's callbacks; text, enum and ⏎ in a field are handled by the field's editor.
import {useInput} from 'ink';
import {isDirty, type UseParamsFormStateResult} from './use-params-form-state.js';

export interface UseParamsFormInputOptions {
	/** esc. */
	readonly onBack: () => void;
	/** The sent request is being handled: only esc works meanwhile. */
	readonly busy: boolean;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** Wires esc, tab/shift+tab and ↑↓ between fields, ←→/space/⏎ on a choice, and y/n/space/←→/⏎ on a yes-or-no field. */
export function useParamsFormInput(
	{state, change, focusNext, focusPrevious, submitField, keys, askLeave, stay}: UseParamsFormStateResult,
	{onBack, busy, isActive = true}: UseParamsFormInputOptions,
): void {
	const focused = state.fields[state.focus];
	useInput(
		(input, key) => {
			if (key.escape) {
				// What was typed (a password too) is not thrown away on one key: a second esc confirms.
				if (busy || state.leaving || !isDirty(state)) {
					onBack();
				} else {
					askLeave();
				}

				return;
			}

			if (state.leaving) {
				stay();
				return;
			}

			// Waiting for the sent request: the fields keep still.
			if (busy) {
				return;
			}

			if (key.tab) {
				if (key.shift) {
					focusPrevious();
				} else {
					focusNext();
				}
			} else if (key.upArrow) {
				focusPrevious();
			} else if (key.downArrow) {
				focusNext();
			} else if ((focused?.kind === 'enum' || focused?.kind === 'boolean') && input.length > 1 && !key.ctrl && !key.meta) {
				// Keys that arrived together (⏎⏎ typed ahead): each applied in turn, to the field that has the focus by then.
				keys(input);
			} else if (focused?.kind === 'enum') {
				// ←/→ and space pick a choice; ↑/↓ stay for moving between fields, as the key hints say.
				const choices = focused.choices ?? [];
				const at = Math.max(0, choices.indexOf(String(state.values[focused.id])));
				if (key.return) {
					submitField();
				} else if (key.rightArrow || input === ' ') {
					change(focused.id, choices[(at + 1) % choices.length] ?? '');
				} else if (key.leftArrow) {
					change(focused.id, choices[(at - 1 + choices.length) % choices.length] ?? '');
				}
			} else if (focused?.kind === 'boolean') {
				if (key.return) {
					submitField();
				} else if (input === 'y') {
					change(focused.id, true);
				} else if (input === 'n') {
					change(focused.id, false);
				} else if (input === ' ' || key.leftArrow || key.rightArrow) {
					change(focused.id, state.values[focused.id] !== true);
				}
			}
		},
		{isActive},
	);
}
