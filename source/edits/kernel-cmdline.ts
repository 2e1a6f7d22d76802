// Kernel command line: read it, add words through a GRUB drop-in or a Raspberry Pi cmdline.txt.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {splitLines} from './lines.js';

/** What to add to the kernel command line. */
export interface CmdlineIntent {
	readonly add: readonly string[];
	/** Words to take out of Waymark's own drop-in (never out of anyone else's file). */
	readonly remove?: readonly string[];
}

/** The command line update-grub would build, as words. */
export interface GrubCmdline {
	/** GRUB_CMDLINE_LINUX: every entry, recovery included. */
	readonly linux: string[];
	/** GRUB_CMDLINE_LINUX_DEFAULT: normal entries only. */
	readonly linuxDefault: string[];
}

/** A file from /etc/default/grub.d; `name` may be a bare file name or a path. */
export interface GrubDropIn {
	readonly name: string;
	readonly text: string;
}

/** Where update-grub reads Waymark's words from. */
export const grubDropInPath = '/etc/default/grub.d/99-waymark.cfg';

const dropInHeader = [
	'# Written by Waymark. update-grub reads this file after /etc/default/grub and the other',
	'# grub.d/*.cfg files; the words below are appended to every kernel command line.',
];

// Our own line, and only ours: a self-reference followed by plain words.
const ownLine = /^(\s*GRUB_CMDLINE_LINUX=")\$(?:GRUB_CMDLINE_LINUX|\{GRUB_CMDLINE_LINUX\})((?:\s+[^\s"$`\\]+)*)\s*("\s*)$/;

/**
 * Splits a kernel command line (e.g. /proc/cmdline) into words the way the kernel does:
 * whitespace separates, double quotes group (`acpi_osi="Windows 2009"` is one word, quotes kept).
 * Words after `--` belong to init and are returned too.
 */
export function parseCmdline(text: string): string[] {
	const words: string[] = [];
	let word = '';
	let quoted = false;
	let inWord = false;
	for (const char of text) {
		if (!quoted && /\s/.test(char)) {
			if (inWord) {
				words.push(word);
			}

			word = '';
			inWord = false;
			continue;
		}

		if (char === '"') {
			quoted = !quoted;
		}

		word += char;
		inWord = true;
	}

	if (inWord) {
		words.push(word);
	}

	return words;
}

/** Words of `current` that set the same parameter as a word of `add` to another value (`elevator=deadline` vs `elevator=cfq`). */
export function cmdlineConflicts(current: readonly string[], add: readonly string[]): string[] {
	const keyOf = (word: string) => word.split('=', 1)[0];
	// A word already present as is conflicts with nothing: repeatable parameters like console= stay legal.
	const missing = add.filter(wanted => wanted.includes('=') && !current.includes(wanted));
	return current.filter(word => missing.some(wanted => keyOf(wanted) === keyOf(word)));
}

function checkWords(words: readonly string[]): void {
	for (const word of words) {
		// A word lands inside a double-quoted shell string and on a one-line file: nothing may break out of either.
		if (!/^[^\s"'$`\\]+$/.test(word)) {
			throw new EditError(
				'invalid',
				`Kernel command line word ${JSON.stringify(word)} is not allowed: use letters, digits and =,.:_-/ without spaces or quotes`,
			);
		}
	}
}

/**
 * Renders /etc/default/grub.d/99-waymark.cfg so that it appends `add` to GRUB_CMDLINE_LINUX
 * (`GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX elevator=cfq"`). Words already in the file stay;
 * only words listed in `remove` leave. `current` is the file's text, or null when it does not exist.
 */
export function grubDropIn(current: string | null, intent: CmdlineIntent): EditResult {
	checkWords(intent.add);
	const remove = new Set(intent.remove ?? []);
	if (current === null || current.trim() === '') {
		const words = unique(intent.add).filter(word => !remove.has(word));
		return editResult(current ?? '', [...dropInHeader, `GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX${words.map(word => ` ${word}`).join('')}"`, ''].join('\n'));
	}

	const lines = splitLines(current);
	const ownIndices = lines.flatMap((line, index) => (ownLine.test(line.text) ? [index] : []));
	const present = new Set(ownIndices.flatMap(index => parseCmdline(ownLine.exec(lines[index]!.text)![2]!)));
	const missing = unique(intent.add).filter(word => !present.has(word) && !remove.has(word));
	const texts = lines.map(line => line.text);
	for (const index of ownIndices) {
		const [, start, words, end] = ownLine.exec(texts[index]!)!;
		const kept = parseCmdline(words!).filter(word => !remove.has(word));
		const added = index === ownIndices.at(-1) ? missing : [];
		const rebuilt = `${start!}$GRUB_CMDLINE_LINUX${[...kept, ...added].map(word => ` ${word}`).join('')}${end!}`;
		// Rewrite only when the words differ, so a file with odd spacing but the right words stays as it is.
		if (kept.length !== parseCmdline(words!).length || added.length > 0) {
			texts[index] = rebuilt;
		}
	}

	let after = texts.map((text, index) => text + lines[index]!.eol).join('');
	if (ownIndices.length === 0 && missing.length > 0) {
		const eol = lines.find(line => line.eol !== '')?.eol ?? '\n';
		const separator = after === '' || after.endsWith('\n') ? '' : eol;
		after += `${separator}GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX${missing.map(word => ` ${word}`).join('')}"${eol}`;
	}

	return editResult(current, after);
}

/**
 * The GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT that update-grub ends up with:
 * /etc/default/grub is sourced first, then each grub.d/*.cfg in name order, each able to
 * override or extend (`$GRUB_CMDLINE_LINUX`) what came before. A small shell subset is
 * evaluated: assignments, export, unset, quotes, `$VAR`/`${VAR}`/`${VAR:-x}`; conditions are
 * not evaluated (assignments inside `if` count as taken) and command substitutions expand to ''.
 */
export function effectiveGrubCmdline(mainDefaultGrub: string, dropIns: readonly GrubDropIn[]): GrubCmdline {
	const variables = new Map<string, string>();
	evaluateShell(mainDefaultGrub, variables);
	// The shell's *.cfg glob: only .cfg files, sorted by name (byte order, as in the C locale).
	const sorted = dropIns
		.map(dropIn => ({base: dropIn.name.split('/').at(-1) ?? dropIn.name, text: dropIn.text}))
		.filter(dropIn => dropIn.base.endsWith('.cfg'))
		.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
	for (const dropIn of sorted) {
		evaluateShell(dropIn.text, variables);
	}

	return {
		linux: parseCmdline(variables.get('GRUB_CMDLINE_LINUX') ?? ''),
		linuxDefault: parseCmdline(variables.get('GRUB_CMDLINE_LINUX_DEFAULT') ?? ''),
	};
}

/**
 * Appends words to a Raspberry Pi cmdline.txt. The firmware reads only the first line, so the
 * words go there; everything else (other lines, the final newline or its absence) stays.
 */
export function cmdlineTxtAdd(text: string, words: readonly string[]): EditResult {
	checkWords(words);
	const lines = splitLines(text);
	const first = lines[0] ?? {text: '', eol: ''};
	if ((first.text.match(/"/g)?.length ?? 0) % 2 === 1) {
		// Words after an unclosed quote would land inside the quoted value.
		throw new EditError('invalid', 'cmdline.txt has an unclosed double quote; fix the file by hand before adding words');
	}

	const present = new Set(parseCmdline(first.text));
	const missing = unique(words).filter(word => !present.has(word));
	if (missing.length === 0) {
		return editResult(text, text);
	}

	const body = first.text.trimEnd();
	const trailing = first.text.slice(body.length);
	const firstText = `${body}${body === '' ? '' : ' '}${missing.join(' ')}${trailing}`;
	const rest = lines
		.slice(1)
		.map(line => line.text + line.eol)
		.join('');
	return editResult(text, firstText + first.eol + rest);
}

function unique(words: readonly string[]): string[] {
	return [...new Set(words)];
}

// --- a very small POSIX sh evaluator: enough for /etc/default/grub and its drop-ins ---

interface Word {
	readonly raw: string;
	readonly value: string;
}

const keywords = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '{', '}', '!']);

function evaluateShell(text: string, variables: Map<string, string>): void {
	const reader = new ShellReader(text, variables);
	while (!reader.atEnd()) {
		const words = reader.command();
		applyCommand(words, variables);
	}
}

function applyCommand(words: readonly Word[], variables: Map<string, string>): void {
	let rest = words;
	// Keywords only steer control flow we do not evaluate; what follows them still runs.
	while (rest[0] !== undefined && keywords.has(rest[0].raw)) {
		rest = rest.slice(1);
	}

	const first = rest[0];
	if (first === undefined) {
		return;
	}

	if (first.raw === 'unset') {
		for (const word of rest.slice(1)) {
			variables.delete(word.value);
		}

		return;
	}

	const declaring = first.raw === 'export' || first.raw === 'readonly';
	const candidates = declaring ? rest.slice(1) : rest;
	const assignments: Array<[string, string]> = [];
	for (const word of candidates) {
		const match = /^([A-Za-z_]\w*)=/.exec(word.raw);
		if (match === null) {
			break;
		}

		assignments.push([match[1]!, word.value.slice(match[1]!.length + 1)]);
	}

	// `A=1 cmd` sets A for cmd only; a plain or exported assignment persists.
	if (declaring || assignments.length === candidates.length) {
		for (const [name, value] of assignments) {
			variables.set(name, value);
		}
	}
}

class ShellReader {
	private position = 0;
	private readonly text: string;
	private readonly variables: ReadonlyMap<string, string>;

	constructor(text: string, variables: ReadonlyMap<string, string>) {
		this.text = text;
		this.variables = variables;
	}

	atEnd(): boolean {
		return this.position >= this.text.length;
	}

	/** Reads one simple command: words up to an unquoted newline, `;`, `&` or `|`. */
	command(): Word[] {
		const words: Word[] = [];
		while (!this.atEnd()) {
			const char = this.text[this.position]!;
			if (char !== '\n' && /\s/.test(char)) {
				this.position++;
			} else if (char === '\\' && this.text[this.position + 1] === '\n') {
				this.position += 2;
			} else if (char === '#') {
				// A comment starts only where a word would.
				this.skipTo('\n');
			} else if ('\n;&|'.includes(char)) {
				this.position++;
				if (words.length > 0) {
					return words;
				}
			} else if (/^\d*[<>]/.test(this.text.slice(this.position, this.position + 4))) {
				// A redirection and its target are not words of the command (`X=1 >/dev/null` still assigns).
				while (/[<>&|\d \t]/.test(this.text[this.position] ?? '')) {
					this.position++;
				}

				this.word();
			} else if (char === '(' || char === ')') {
				this.position++;
			} else {
				const start = this.position;
				words.push(this.word());
				// Never stall on a character no rule above consumed.
				if (this.position === start) {
					this.position++;
				}
			}
		}

		return words;
	}

	private skipTo(char: string): void {
		const end = this.text.indexOf(char, this.position);
		this.position = end === -1 ? this.text.length : end;
	}

	private word(): Word {
		const start = this.position;
		let value = '';
		while (!this.atEnd()) {
			const char = this.text[this.position]!;
			if (/[\s;&|()<>]/.test(char)) {
				break;
			}

			if (char === '\\') {
				const next = this.text[this.position + 1];
				this.position += 2;
				value += next === '\n' || next === undefined ? '' : next;
			} else if (char === "'") {
				const end = this.text.indexOf("'", this.position + 1);
				const stop = end === -1 ? this.text.length : end;
				value += this.text.slice(this.position + 1, stop);
				this.position = stop + 1;
			} else if (char === '"') {
				value += this.doubleQuoted();
			} else if (char === '`') {
				this.backquoted();
			} else if (char === '$') {
				value += this.expansion();
			} else {
				value += char;
				this.position++;
			}
		}

		return {raw: this.text.slice(start, this.position), value};
	}

	/** Expands `$` and backslashes in text as inside double quotes (the word of `${VAR:-word}`). */
	expandText(): string {
		return this.doubleQuoted(false);
	}

	private doubleQuoted(quoted = true): string {
		let value = '';
		if (quoted) {
			this.position++;
		}

		while (!this.atEnd()) {
			const char = this.text[this.position]!;
			if (char === '"' && quoted) {
				this.position++;
				return value;
			}

			if (char === '\\') {
				const next = this.text[this.position + 1] ?? '';
				this.position += 2;
				if (next === '\n') {
					continue;
				}

				value += '$`"\\'.includes(next) ? next : `\\${next}`;
			} else if (char === '$') {
				value += this.expansion();
			} else if (char === '`') {
				this.backquoted();
			} else {
				value += char;
				this.position++;
			}
		}

		return value;
	}

	private backquoted(): void {
		const end = this.text.indexOf('`', this.position + 1);
		this.position = end === -1 ? this.text.length : end + 1;
	}

	private expansion(): string {
		const rest = this.text.slice(this.position);
		const simple = /^\$([A-Za-z_]\w*)/.exec(rest);
		if (simple !== null) {
			this.position += simple[0].length;
			return this.variables.get(simple[1]!) ?? '';
		}

		const braced = /^\$\{([A-Za-z_]\w*)(?:(:?[-+=])([^}]*))?\}/.exec(rest);
		if (braced !== null) {
			this.position += braced[0].length;
			const [, name, operator, rawWord] = braced;
			const word = rawWord === undefined ? undefined : new ShellReader(rawWord, this.variables).expandText();
			const value = this.variables.get(name!);
			const empty = operator?.startsWith(':') ? !value : value === undefined;
			if (operator?.endsWith('+')) {
				return empty ? '' : (word ?? '');
			}

			if (operator !== undefined && empty) {
				return word ?? '';
			}

			return value ?? '';
		}

		if (rest.startsWith('$(')) {
			// Command substitution: unknowable here; skip to the matching parenthesis.
			let depth = 0;
			for (let index = this.position + 1; index < this.text.length; index++) {
				if (this.text[index] === '(') {
					depth++;
				} else if (this.text[index] === ')' && --depth === 0) {
					this.position = index + 1;
					return '';
				}
			}

			this.position = this.text.length;
			return '';
		}

		this.position++;
		return '$';
	}
}
