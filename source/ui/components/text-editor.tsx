import {Text} from 'ink';
import {useTextEditor} from './use-text-editor.js';

export interface TextEditorProps {
	/** The text, as the form holds it. */
	readonly value: string;
	/** Every change, once per burst of keys. */
	readonly onChange: (value: string) => void;
	/** ⏎, with the keys that came after it in the same burst (for whatever the Enter leads to). */
	readonly onSubmit: (rest: string) => void;
	/** Shown instead of each character (a secret). */
	readonly mask?: string;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** A one-line text field with a cursor, edited as readline does (⌫, ^U, ^W, ^A/^E, Home/End, ←/→). */
export function TextEditor({value, onChange, onSubmit, mask, isActive = true}: TextEditorProps) {
	const {value: text, cursor} = useTextEditor({value, onChange, onSubmit, isActive});
	const shown = mask === undefined ? text : mask.repeat(text.length);
	const at = shown[cursor] ?? ' ';
	return (
		<Text>
			{shown.slice(0, cursor)}
			<Text inverse>{at}</Text>
			{shown.slice(cursor + 1)}
		</Text>
	);
}
