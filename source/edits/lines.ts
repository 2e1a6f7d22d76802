// Line-level plumbing shared by the edits: split without losing newline style, edit by index, mark what changed.

/** One line of a file and the newline that ended it ('' only for a last line without one). */
export interface Line {
	readonly text: string;
	readonly eol: string;
}

/** Splits text into lines, keeping each line's own newline (LF or CRLF). An empty text has no lines. */
export function splitLines(text: string): Line[] {
	const lines: Line[] = [];
	const newline = /\r?\n/g;
	let start = 0;
	for (let match = newline.exec(text); match !== null; match = newline.exec(text)) {
		lines.push({text: text.slice(start, match.index), eol: match[0]});
		start = match.index + match[0].length;
	}

	if (start < text.length) {
		lines.push({text: text.slice(start), eol: ''});
	}

	return lines;
}

/** The newline the file uses (its first one), LF for a file that has none. */
export function newlineOf(lines: readonly Line[]): string {
	return lines.find(line => line.eol !== '')?.eol ?? '\n';
}

/** The whitespace a line starts with. */
export function indentOf(text: string): string {
	return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** The word every Waymark marker comment carries after its comment character. */
export const markerWord = 'waymark:';

/** A marker saying what a changed line was, e.g. `# waymark: was "PasswordAuthentication yes"`. */
export function wasMarker(comment: string, original: string, indent = ''): string {
	return `${indent}${comment} ${markerWord} was "${original.trim()}"`;
}

/** A marker above lines Waymark added to a file it does not own. */
export function addedMarker(comment: string, indent = ''): string {
	return `${indent}${comment} ${markerWord} added`;
}

/** A line turned into a comment, with the reason after it so the operator sees who did it and why. */
export function disabledLine(comment: string, original: string, reason: string): string {
	return `${comment}${original.trimEnd()}  ${comment} ${markerWord} disabled, ${reason}`;
}

/** True when the line is a Waymark marker comment (any kind) for this comment character. */
export function isMarker(text: string, comment: string): boolean {
	return text.trimStart().startsWith(`${comment} ${markerWord}`);
}

/**
 * Collects replacements and insertions by original line index, then renders them in one pass,
 * so earlier edits never shift the indices later ones refer to.
 */
export class LineEdits {
	readonly lines: readonly Line[];
	private readonly replacements = new Map<number, readonly string[]>();
	private readonly insertions = new Map<number, string[]>();

	constructor(lines: readonly Line[]) {
		this.lines = lines;
	}

	/** Replaces line `index` by zero or more lines. */
	replace(index: number, texts: readonly string[]): void {
		this.replacements.set(index, texts);
	}

	/** Inserts lines before line `index`; an index past the end appends. */
	insertBefore(index: number, texts: readonly string[]): void {
		const at = Math.min(index, this.lines.length);
		this.insertions.set(at, [...(this.insertions.get(at) ?? []), ...texts]);
	}

	/** Appends lines at the end of the file. */
	append(texts: readonly string[]): void {
		this.insertBefore(this.lines.length, texts);
	}

	/** True when line `index` was already replaced by this edit. */
	isReplaced(index: number): boolean {
		return this.replacements.has(index);
	}

	/** Renders the edited text: new lines use the file's newline; a missing final newline stays missing. */
	render(): string {
		const eol = newlineOf(this.lines);
		const out: Line[] = [];
		for (let index = 0; index <= this.lines.length; index++) {
			for (const text of this.insertions.get(index) ?? []) {
				out.push({text, eol});
			}

			const line = this.lines[index];
			if (line === undefined) {
				continue;
			}

			const replacement = this.replacements.get(index);
			if (replacement === undefined) {
				out.push(line);
				continue;
			}

			replacement.forEach((text, position) => {
				out.push({text, eol: position === replacement.length - 1 ? line.eol : eol});
			});
		}

		const lastOriginal = this.lines.at(-1);
		const keepsNoFinalNewline = lastOriginal !== undefined && lastOriginal.eol === '';
		return out
			.map((line, position) => {
				if (position === out.length - 1) {
					return line.text + (keepsNoFinalNewline ? '' : line.eol || eol);
				}

				return line.text + (line.eol || eol);
			})
			.join('');
	}
}
