// One key per line: shell-sourced `KEY="value"` files (/etc/default/*) and sysctl `key = value` files.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {addedMarker, indentOf, isMarker, LineEdits, splitLines, wasMarker} from './lines.js';

/** Which syntax the file uses. */
export interface KeyValueStyle {
	/** `shell`: sourced by sh (quotes, `export`, `#` comments); `sysctl`: `key = value`, `#` or `;` comments, `/` or `.` in keys. */
	readonly style: 'shell' | 'sysctl';
}

interface Assignment {
	readonly line: number;
	readonly commented: boolean;
	/** The value as the program sees it (unquoted for shell). */
	readonly value: string;
	/** Where the value text starts and ends in the line, to replace it in place. */
	readonly valueStart: number;
	readonly valueEnd: number;
	/** The quote the shell value was written with, '' for none. */
	readonly quote: string;
	/** What stands between key and value (`=`, ` = `). */
	readonly separator: string;
}

const shellKey = /^[A-Za-z_]\w*$/;
const sysctlKey = /^[\w.*/-]+$/;

function checkInput(key: string, value: string, style: KeyValueStyle['style']): void {
	if (!(style === 'shell' ? shellKey : sysctlKey).test(key)) {
		throw new EditError('invalid', `${style === 'shell' ? 'Shell variable' : 'sysctl key'} ${JSON.stringify(key)} is not a valid name`);
	}

	if (/[\r\n\0]/.test(value)) {
		throw new EditError('invalid', `The value for ${key} must be one line`);
	}
}

/** Reads one shell word (quotes and backslashes resolved, nothing expanded) and where it ends. */
function readShellWord(text: string, start: number): {value: string; end: number; quote: string} {
	let value = '';
	let index = start;
	const first = text[start];
	while (index < text.length && !/[\s;&|#]/.test(text[index]!)) {
		const char = text[index]!;
		if (char === "'") {
			const close = text.indexOf("'", index + 1);
			const stop = close === -1 ? text.length : close;
			value += text.slice(index + 1, stop);
			index = stop + 1;
		} else if (char === '"') {
			index++;
			while (index < text.length && text[index] !== '"') {
				if (text[index] === '\\' && '$`"\\'.includes(text[index + 1] ?? '')) {
					index++;
				}

				value += text[index];
				index++;
			}

			index++;
		} else if (char === '\\') {
			value += text[index + 1] ?? '';
			index += 2;
		} else {
			value += char;
			index++;
		}
	}

	const end = Math.min(index, text.length);
	// The quote style counts only when one quoted string is the whole word.
	const whole = (first === '"' || first === "'") && text[end - 1] === first && text.indexOf(first, start + 1) === end - 1;
	return {value, end, quote: whole ? first : ''};
}

function normalizeSysctlKey(key: string): string {
	return key.replaceAll('/', '.');
}

function assignments(text: string, key: string, style: KeyValueStyle['style']): Assignment[] {
	const found: Assignment[] = [];
	splitLines(text).forEach((line, index) => {
		if (style === 'shell') {
			const match = /^([ \t]*)(#[ \t]*)?(?:export[ \t]+)?([A-Za-z_]\w*)=/.exec(line.text);
			if (match?.[3] !== key) {
				return;
			}

			const word = readShellWord(line.text, match[0].length);
			found.push({
				line: index,
				commented: match[2] !== undefined,
				value: word.value,
				valueStart: match[0].length,
				valueEnd: word.end,
				quote: word.quote,
				separator: '=',
			});
			return;
		}

		// systemd-sysctl reads a leading `-` as "ignore errors for this key".
		const match = /^([ \t]*)([#;][ \t]*)?(-?)([\w.*/-]+)([ \t]*=[ \t]*)(.*?)[ \t]*$/.exec(line.text);
		if (match === null || normalizeSysctlKey(match[4]!) !== normalizeSysctlKey(key)) {
			return;
		}

		const valueStart = match.slice(1, 6).join('').length;
		found.push({
			line: index,
			commented: match[2] !== undefined,
			value: match[6]!,
			valueStart,
			valueEnd: valueStart + match[6]!.length,
			quote: '',
			separator: match[5]!,
		});
	});
	return found;
}

/** Writes a value for sh, in the quotes the line used before when they can hold it. */
function shellQuote(value: string, quote: string): string {
	if (quote === "'" && !value.includes("'")) {
		return `'${value}'`;
	}

	if (quote === '' && /^[\w@%+=:,./-]+$/.test(value)) {
		return value;
	}

	return `"${value.replaceAll(/["$`\\]/g, character => `\\${character}`)}"`;
}

/**
 * The value a key ends up with: the last active assignment wins (as for `.` in sh and for
 * `sysctl -p`). Shell values are unquoted but not expanded. Undefined when the key is not set.
 */
export function getKeyValue(text: string, key: string, options: KeyValueStyle): string | undefined {
	return assignments(text, key, options.style)
		.filter(assignment => !assignment.commented)
		.at(-1)?.value;
}

/**
 * Sets one key. The last active assignment gets the new value in place (its quotes, separator
 * and trailing comment kept; a marker above records the old line). Without one, the line goes
 * right after the last commented-out example of the key (`#net.ipv4.ip_forward=1`), written in
 * that example's style, or at the end. `text` null means a new file.
 */
export function setKeyValue(text: string | null, key: string, value: string, options: KeyValueStyle): EditResult {
	const {style} = options;
	checkInput(key, value, style);
	const newLine = (separator: string) => (style === 'shell' ? `${key}=${shellQuote(value, '"')}` : `${key}${separator}${value}`);
	if (text === null) {
		return editResult('', `${newLine(' = ')}\n`);
	}

	const lines = splitLines(text);
	const edits = new LineEdits(lines);
	const found = assignments(text, key, style);
	const active = found.filter(assignment => !assignment.commented).at(-1);
	if (active !== undefined) {
		if (active.value === value) {
			return editResult(text, text);
		}

		const original = lines[active.line]!.text;
		const written = style === 'shell' ? shellQuote(value, active.quote) : value;
		const rebuilt = original.slice(0, active.valueStart) + written + original.slice(active.valueEnd);
		edits.replace(active.line, [...(isMarker(lines[active.line - 1]?.text ?? '', '#') ? [] : [wasMarker('#', original, indentOf(original))]), rebuilt]);
		return editResult(text, edits.render());
	}

	const example = found.at(-1);
	if (example === undefined) {
		edits.append([addedMarker('#'), newLine(' = ')]);
	} else {
		edits.insertBefore(example.line + 1, [addedMarker('#'), newLine(example.separator)]);
	}

	return editResult(text, edits.render());
}
