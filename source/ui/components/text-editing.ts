// Editing a one-line field as readline does, from raw terminal input: a burst (a paste, keys that arrived together)
// is applied byte by byte, so nothing is lost and an Enter inside it still submits. Pure, for the editor's reducer.

export interface TextState {
	readonly value: string;
	/** Position of the cursor, 0 … value.length. */
	readonly cursor: number;
}

/** What an edit asked for besides the new text. */
export interface EditOutcome {
	readonly state: TextState;
	/** ⏎ came (in the burst or alone): the text up to it is final. */
	readonly submitted: boolean;
	/** What the burst held after that ⏎: keys meant for whatever the Enter leads to (the next field), never dropped. */
	readonly rest: string;
}

const wordBefore = /\S+\s*$/;

/** Applies raw input (several keys at once is fine) to the text. Escape sequences for arrows and Home/End move the cursor. */
export function applyInput(state: TextState, input: string): EditOutcome {
	let {value, cursor} = state;
	let index = 0;
	const insert = (text: string) => {
		value = value.slice(0, cursor) + text + value.slice(cursor);
		cursor += text.length;
	};

	while (index < input.length) {
		const rest = input.slice(index);
		const sequence = /^\u001B(?:\[(?:[0-9;]*)([A-Za-z~])|O([A-Za-z]))/.exec(rest);
		if (sequence) {
			const code = sequence[0];
			if (code === '\u001B[D' || code === '\u001BOD') cursor = Math.max(0, cursor - 1);
			else if (code === '\u001B[C' || code === '\u001BOC') cursor = Math.min(value.length, cursor + 1);
			else if (code === '\u001B[H' || code === '\u001BOH' || code === '\u001B[1~' || code === '\u001B[7~') cursor = 0;
			else if (code === '\u001B[F' || code === '\u001BOF' || code === '\u001B[4~' || code === '\u001B[8~') cursor = value.length;
			else if (code === '\u001B[3~') value = value.slice(0, cursor) + value.slice(cursor + 1);
			index += code.length;
			continue;
		}

		const char = input[index]!;
		index++;
		switch (char) {
			case '\r':
			case '\n': {
				return {state: {value, cursor}, submitted: true, rest: input.slice(index)};
			}

			// Backspace (DEL or ^H).
			case '\u007F':
			case '\b': {
				if (cursor > 0) {
					value = value.slice(0, cursor - 1) + value.slice(cursor);
					cursor--;
				}

				break;
			}

			// ^U: everything before the cursor.
			case '\u0015': {
				value = value.slice(cursor);
				cursor = 0;
				break;
			}

			// ^W: the word before the cursor.
			case '\u0017': {
				const before = value.slice(0, cursor).replace(wordBefore, '');
				value = before + value.slice(cursor);
				cursor = before.length;
				break;
			}

			// ^A / ^E: start / end; ^K: everything after the cursor.
			case '\u0001': {
				cursor = 0;
				break;
			}

			case '\u0005': {
				cursor = value.length;
				break;
			}

			case '\u000B': {
				value = value.slice(0, cursor);
				break;
			}

			default: {
				// Other control characters (a stray ESC, tab) are never part of a value.
				if (char >= ' ' && char !== '\u007F') {
					insert(char);
				}
			}
		}
	}

	return {state: {value, cursor}, submitted: false, rest: ''};
}
