// Keys → the text of one field. A reducer holds the text and cursor, so keys that arrive faster than the screen
// redraws all count (a controlled input that reads its value from props loses every key but the last of a burst).
import {type Key, useInput} from 'ink';
import {useEffect, useReducer, useRef} from 'react';
import {applyInput, type TextState} from './text-editing.js';

export interface UseTextEditorOptions {
	readonly value: string;
	readonly onChange: (value: string) => void;
	/** ⏎, with the keys that came after it in the same burst. */
	readonly onSubmit: (rest: string) => void;
	readonly isActive: boolean;
}

type Action = {readonly type: 'input'; readonly raw: string} | {readonly type: 'reset'; readonly value: string};

interface EditorState extends TextState {
	/** Bumped by every ⏎, so the submit effect runs once per Enter. */
	readonly submits: number;
	/** The keys after the last ⏎ of a burst, handed on with the submit. */
	readonly rest: string;
}

function reducer(state: EditorState, action: Action): EditorState {
	if (action.type === 'reset') {
		return state.value === action.value ? state : {...state, value: action.value, cursor: action.value.length};
	}

	const {state: next, submitted, rest} = applyInput(state, action.raw);
	return submitted ? {...next, submits: state.submits + 1, rest} : {...next, submits: state.submits, rest: state.rest};
}

/** The raw bytes a single key Ink has already parsed stands for; a burst Ink could not parse arrives raw already. */
export function rawOf(input: string, key: Key): string {
	if (key.return) return '\r';
	if (key.backspace || key.delete) return '\u007F';
	if (key.leftArrow) return '\u001B[D';
	if (key.rightArrow) return '\u001B[C';
	if (key.home) return '\u001B[H';
	if (key.end) return '\u001B[F';
	if (key.ctrl) {
		const control: Record<string, string> = {u: '\u0015', w: '\u0017', a: '\u0001', e: '\u0005', k: '\u000B'};
		return control[input] ?? '';
	}

	// Keys that move between fields or leave the form are not text.
	if (key.tab || key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.meta) return '';
	return input;
}

/** The field's text and cursor; changes and ⏎ are reported to the form. */
export function useTextEditor({value, onChange, onSubmit, isActive}: UseTextEditorOptions): TextState {
	const [state, dispatch] = useReducer(reducer, {value, cursor: value.length, submits: 0, rest: ''});
	const reported = useRef(value);
	const submitted = useRef(0);
	useEffect(() => {
		// A value set from outside (a reset, a prefill) replaces what is shown.
		if (value !== reported.current) {
			reported.current = value;
			dispatch({type: 'reset', value});
		}
	}, [value]);
	useEffect(() => {
		if (state.value !== reported.current) {
			reported.current = state.value;
			onChange(state.value);
		}

		if (state.submits !== submitted.current) {
			submitted.current = state.submits;
			onSubmit(state.rest);
		}
	}, [state, onChange, onSubmit]);
	useInput(
		(input, key) => {
			const raw = rawOf(input, key);
			if (raw !== '') {
				dispatch({type: 'input', raw});
			}
		},
		{isActive},
	);
	return state;
}
