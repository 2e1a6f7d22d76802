// /etc/nsswitch.conf: read a database's sources, add an NSS module where glibc will consult it.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {addedMarker, indentOf, isMarker, LineEdits, splitLines, wasMarker} from './lines.js';

/** One active `database: sources` line. */
export interface NssEntry {
	readonly database: string;
	/** Service names in order (`files`, `systemd`); actions like `[NOTFOUND=return]` are left out. */
	readonly sources: readonly string[];
	/** Index of the line in the file, from 0. */
	readonly line: number;
}

/** Which databases should consult which module. */
export interface NssModuleIntent {
	readonly databases: readonly string[];
	readonly module: string;
}

interface Token {
	readonly text: string;
	readonly start: number;
	readonly end: number;
	readonly action: boolean;
}

interface ParsedLine {
	readonly database: string;
	readonly tokens: readonly Token[];
	/** Where the sources start, for column alignment of new lines. */
	readonly valueStart: number;
}

function parseLine(text: string): ParsedLine | undefined {
	// glibc ends a line at `#`, wherever it stands.
	const hash = text.indexOf('#');
	const body = hash === -1 ? text : text.slice(0, hash);
	const match = /^[ \t]*([\w.-]+)[ \t]*:[ \t]*/.exec(body);
	if (match === null) {
		return undefined;
	}

	const tokens: Token[] = [];
	for (const token of body.slice(match[0].length).matchAll(/\[[^\]]*\]?|[^\s[]+/g)) {
		const start = match[0].length + token.index;
		tokens.push({text: token[0], start, end: start + token[0].length, action: token[0].startsWith('[')});
	}

	return {database: match[1]!, tokens, valueStart: match[0].length};
}

/** Parses the active database lines; comments and blank lines are skipped. */
export function parseNsswitch(text: string): NssEntry[] {
	return splitLines(text).flatMap((line, index) => {
		const parsed = parseLine(line.text);
		return parsed === undefined
			? []
			: [{database: parsed.database, sources: parsed.tokens.filter(token => !token.action).map(token => token.text), line: index}];
	});
}

/** The services a database consults, in order; null when the file has no line for it (glibc then uses its built-in default). */
export function nssSources(text: string, database: string): string[] | null {
	const entries = parseNsswitch(text).filter(entry => entry.database === database);
	// glibc keeps the last line it reads for a database.
	const entry = entries.at(-1);
	return entry === undefined ? null : [...entry.sources];
}

/**
 * Adds `module` to each database line that lacks it: right after `files` or `compat` (and any
 * action that follows them, which belongs to them), or at the end when neither is there. Spacing
 * between words follows the line; a missing database line is added as `files <module>` with its
 * sources in the same column as the other lines. Changed lines carry a marker with the old text.
 */
export function addNssModule(text: string, intent: NssModuleIntent): EditResult {
	if (!/^[\w.-]+$/.test(intent.module)) {
		throw new EditError('invalid', `NSS module ${JSON.stringify(intent.module)} is not a plain name like "unbit" or "systemd"`);
	}

	const lines = splitLines(text);
	const edits = new LineEdits(lines);
	const parsed = lines.map(line => parseLine(line.text));
	const activeIndices = parsed.flatMap((entry, index) => (entry === undefined ? [] : [index]));
	// After which original line each database's new line goes; -1 means at the very start.
	const anchors = new Map<string, number>();
	const additions = new Map<number, string[]>();
	for (const database of intent.databases) {
		if (!/^[\w.-]+$/.test(database)) {
			throw new EditError('invalid', `NSS database ${JSON.stringify(database)} is not a plain name like "passwd"`);
		}

		const indices = activeIndices.filter(index => parsed[index]!.database === database);
		for (const index of indices) {
			const entry = parsed[index]!;
			if (entry.tokens.some(token => !token.action && token.text === intent.module)) {
				continue;
			}

			const original = lines[index]!.text;
			edits.replace(index, [
				...(isMarker(lines[index - 1]?.text ?? '', '#') ? [] : [wasMarker('#', original, indentOf(original))]),
				withModule(original, entry, intent.module),
			]);
		}

		if (indices.length > 0) {
			anchors.set(database, indices.at(-1)!);
			continue;
		}

		const previous = intent.databases.slice(0, intent.databases.indexOf(database)).findLast(name => anchors.has(name));
		const anchor = previous === undefined ? (activeIndices.at(-1) ?? lines.length - 1) : anchors.get(previous)!;
		anchors.set(database, anchor);
		additions.set(anchor, [
			...(additions.get(anchor) ?? []),
			`${database}:${padding(
				lines.map(line => line.text),
				parsed,
				database,
			)}files ${intent.module}`,
		]);
	}

	for (const [anchor, texts] of additions) {
		edits.insertBefore(anchor + 1, [addedMarker('#'), ...texts]);
	}

	return editResult(text, edits.render());
}

function withModule(original: string, entry: ParsedLine, module: string): string {
	const {tokens} = entry;
	const between = tokens.length > 1 ? original.slice(tokens[0]!.end, tokens[1]!.start) : '';
	const gap = /^[ \t]+$/.test(between) ? between : ' ';
	let after = tokens.findIndex(token => !token.action && (token.text === 'files' || token.text === 'compat'));
	if (after === -1) {
		after = tokens.length - 1;
	}

	// An action like [NOTFOUND=return] qualifies the service before it; keep it with that service.
	while (tokens[after + 1]?.action) {
		after++;
	}

	const anchor = tokens[after];
	if (anchor === undefined) {
		const head = original.slice(0, entry.valueStart);
		return head + (head.endsWith(':') ? ' ' : '') + module + original.slice(entry.valueStart);
	}

	const rest = original.slice(anchor.end);
	// A word glued to the anchor (`files[NOTFOUND=return]`) still needs a space after the module.
	return original.slice(0, anchor.end) + gap + module + (rest === '' || /^[\s#]/.test(rest) ? '' : gap) + rest;
}

/** Spacing after `database:` so a new line's sources line up with the file's other lines. */
function padding(texts: readonly string[], parsed: ReadonlyArray<ParsedLine | undefined>, database: string): string {
	const model = parsed.findIndex(entry => entry !== undefined && entry.tokens.length > 0);
	if (model === -1) {
		return ' ';
	}

	const entry = parsed[model]!;
	const text = texts[model]!;
	const gap = text.slice(text.indexOf(':') + 1, entry.valueStart);
	if (gap.includes('\t')) {
		return gap;
	}

	return ' '.repeat(Math.max(1, entry.valueStart - (database.length + 1)));
}
