// sshd_config: parse it as sshd does, set directives where sshd will honour them, render drop-ins, read `sshd -T`.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {addedMarker, disabledLine, indentOf, isMarker, LineEdits, splitLines, wasMarker, type Line} from './lines.js';

/** One active line of an sshd_config (Include and Match lines included). */
export interface SshdDirective {
	/** Index of the line in the file, from 0. */
	readonly line: number;
	/** The keyword as written (`ChallengeResponseAuthentication`). */
	readonly keyword: string;
	/** Lowercase, aliases resolved (`kbdinteractiveauthentication`). */
	readonly key: string;
	/** Arguments with quotes removed and a trailing comment dropped. */
	readonly args: readonly string[];
	/** True for lines inside a Match block (from the first Match line to the end of the file). */
	readonly inMatch: boolean;
	/** Where the value starts and ends in the line, to replace it in place. */
	readonly valueStart: number;
	readonly valueEnd: number;
}

// Keywords sshd accepts as other names for the same option; the map is sshd's own (servconf.c).
const aliases: Readonly<Record<string, string>> = {
	challengeresponseauthentication: 'kbdinteractiveauthentication',
	skeyauthentication: 'kbdinteractiveauthentication',
	keepalive: 'tcpkeepalive',
	dsaauthentication: 'pubkeyauthentication',
	pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
	hostbasedacceptedkeytypes: 'hostbasedacceptedalgorithms',
};

/** The key sshd files a keyword under: lowercase, with deprecated aliases mapped to the current name. */
export function canonicalSshdKey(keyword: string): string {
	const lower = keyword.toLowerCase();
	return aliases[lower] ?? lower;
}

/** Splits arguments as sshd does: whitespace separates, double quotes group, an unquoted `#` word ends the line. */
export function splitSshdArgs(value: string): {args: string[]; end: number} {
	const args: string[] = [];
	let index = 0;
	let end = 0;
	while (index < value.length) {
		while (index < value.length && /[ \t]/.test(value[index]!)) {
			index++;
		}

		if (index >= value.length || value[index] === '#') {
			break;
		}

		let arg = '';
		while (index < value.length && !/[ \t]/.test(value[index]!)) {
			if (value[index] === '"') {
				const close = value.indexOf('"', index + 1);
				const stop = close === -1 ? value.length : close;
				arg += value.slice(index + 1, stop);
				index = stop + 1;
			} else {
				arg += value[index];
				index++;
			}
		}

		args.push(arg);
		end = Math.min(index, value.length);
	}

	return {args, end};
}

function parseLine(line: Line, index: number, inMatch: boolean): SshdDirective | undefined {
	// sshd splits the keyword at whitespace or one `=` (with optional spaces around it).
	const match = /^([ \t]*)([^\s=#][^\s=]*)([ \t]*=[ \t]*|[ \t]+|$)/.exec(line.text);
	if (match === null) {
		return undefined;
	}

	const valueStart = match[0].length;
	const {args, end} = splitSshdArgs(line.text.slice(valueStart));
	return {line: index, keyword: match[2]!, key: canonicalSshdKey(match[2]!), args, inMatch, valueStart, valueEnd: valueStart + end};
}

/** Parses every active line; comments and blank lines are skipped. */
export function parseSshdConfig(text: string): SshdDirective[] {
	const directives: SshdDirective[] = [];
	let inMatch = false;
	splitLines(text).forEach((line, index) => {
		const directive = parseLine(line, index, inMatch || /^\s*match(?:\s|=|$)/i.test(line.text));
		if (directive !== undefined) {
			inMatch = directive.inMatch;
			directives.push(directive);
		}
	});
	return directives;
}

/** True when the file has an Include line outside Match blocks (Debian/Ubuntu put one at the top). */
export function hasInclude(text: string): boolean {
	return parseSshdConfig(text).some(directive => directive.key === 'include' && !directive.inMatch);
}

function checkSettings(settings: Readonly<Record<string, string>>): Array<[string, string, string[]]> {
	return Object.entries(settings).map(([keyword, value]) => {
		if (!/^[A-Za-z][A-Za-z\d]*$/.test(keyword) || ['match', 'include'].includes(keyword.toLowerCase())) {
			throw new EditError('invalid', `sshd keyword ${JSON.stringify(keyword)} cannot be set here: use a plain keyword such as PasswordAuthentication`);
		}

		const {args} = splitSshdArgs(value);
		if (/[\r\n]/.test(value) || args.length === 0) {
			throw new EditError('invalid', `sshd ${keyword} needs a one-line, non-empty value (got ${JSON.stringify(value)})`);
		}

		return [keyword, value.trim(), args];
	});
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
	// yes/no are read case-insensitively by sshd; other arguments (paths, users) are not.
	return a.length === b.length && a.every((arg, index) => arg === b[index] || (/^(yes|no)$/i.test(arg) && arg.toLowerCase() === b[index]!.toLowerCase()));
}

/**
 * Renders a drop-in for /etc/ssh/sshd_config.d: the header as comments, then one
 * `Keyword value` line per setting in the order given.
 */
export function renderDropIn(settings: Readonly<Record<string, string>>, header: string): string {
	const comments = header
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => (line.startsWith('#') ? line : `# ${line}`));
	const lines = checkSettings(settings).map(([keyword, value]) => `${keyword} ${value}`);
	return `${[...comments, ...lines].join('\n')}\n`;
}

/**
 * Sets directives in an sshd_config that has no Include line. For each keyword (aliases count as
 * the same keyword): the first active occurrence outside Match blocks gets the value (keyword
 * spelling and separator kept, a marker above records the old line), later occurrences outside
 * Match are commented out because sshd would ignore them anyway, and a keyword not set yet is
 * added before the first Match line (or at the end). Lines inside Match blocks and commented
 * defaults such as `#PasswordAuthentication yes` are left alone. With an Include line, settings
 * belong in a drop-in: throws EditError `wrong-layout`.
 */
export function setDirectives(text: string, settings: Readonly<Record<string, string>>): EditResult {
	const checked = checkSettings(settings);
	if (hasInclude(text)) {
		throw new EditError(
			'wrong-layout',
			'This sshd_config has an Include line, so a drop-in in sshd_config.d wins over it: write the settings to /etc/ssh/sshd_config.d/00-waymark.conf instead',
		);
	}

	const lines = splitLines(text);
	const directives = parseSshdConfig(text);
	const edits = new LineEdits(lines);
	const toAdd: string[] = [];
	for (const [keyword, value, args] of checked) {
		const key = canonicalSshdKey(keyword);
		const [first, ...later] = directives.filter(directive => directive.key === key && !directive.inMatch);
		if (first === undefined) {
			toAdd.push(`${keyword} ${value}`);
			continue;
		}

		if (!sameArgs(first.args, args)) {
			const original = lines[first.line]!.text;
			const rebuilt = original.slice(0, first.valueStart) + value + original.slice(first.valueEnd);
			const above = lines[first.line - 1];
			edits.replace(first.line, above !== undefined && isMarker(above.text, '#') ? [rebuilt] : [wasMarker('#', original, indentOf(original)), rebuilt]);
		}

		for (const duplicate of later) {
			edits.replace(duplicate.line, [disabledLine('#', lines[duplicate.line]!.text, 'sshd uses the first value it reads')]);
		}
	}

	if (toAdd.length > 0) {
		const firstMatch = directives.find(directive => directive.key === 'match');
		if (firstMatch === undefined) {
			const last = lines.at(-1);
			edits.append([...(last !== undefined && last.text.trim() !== '' ? [''] : []), addedMarker('#'), ...toAdd]);
		} else {
			// Keep a comment that introduces the Match block attached to it.
			let at = firstMatch.line;
			while (at > 0 && lines[at - 1]!.text.trim().startsWith('#')) {
				at--;
			}

			edits.insertBefore(at, [addedMarker('#'), ...toAdd, '']);
		}
	}

	return editResult(text, edits.render());
}

/**
 * Directives set in the main file before its first Include line whose keyword is one of `keys`:
 * sshd keeps the first value it reads, so these beat anything a drop-in says. Empty without an Include.
 */
export function overridingBeforeInclude(text: string, keys: readonly string[]): SshdDirective[] {
	const wanted = new Set(keys.map(key => canonicalSshdKey(key)));
	const directives = parseSshdConfig(text);
	const include = directives.find(directive => directive.key === 'include' && !directive.inMatch);
	if (include === undefined) {
		return [];
	}

	return directives.filter(directive => directive.line < include.line && wanted.has(directive.key));
}

/**
 * Comments out the directives for `keys` that stand in the way: with an Include line, those
 * before it (what overridingBeforeInclude reports); without one, every occurrence outside Match
 * blocks. Each disabled line says why.
 */
export function disableDirectives(text: string, keys: readonly string[]): EditResult {
	const lines = splitLines(text);
	const edits = new LineEdits(lines);
	const wanted = new Set(keys.map(key => canonicalSshdKey(key)));
	const targets = hasInclude(text)
		? overridingBeforeInclude(text, keys)
		: parseSshdConfig(text).filter(directive => !directive.inMatch && wanted.has(directive.key));
	const reason = hasInclude(text) ? 'it would override sshd_config.d' : 'sshd uses the first value it reads';
	for (const directive of targets) {
		edits.replace(directive.line, [disabledLine('#', lines[directive.line]!.text, reason)]);
	}

	return editResult(text, edits.render());
}

/**
 * Parses `sshd -T` output (or `sshd -T -C …`) into a map from lowercase keyword to the rest of
 * the line (`authorizedkeysfile` → `.ssh/authorized_keys .ssh/authorized_keys2`). Keywords sshd
 * prints once per value (port, listenaddress, hostkey, acceptenv, subsystem) map to their
 * values joined by newlines, in output order.
 */
export function parseSshdT(output: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const line of output.split(/\r?\n/)) {
		const match = /^(\S+)(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
		if (match === null) {
			continue;
		}

		const key = canonicalSshdKey(match[1]!);
		const value = match[2] ?? '';
		const previous = values.get(key);
		values.set(key, previous === undefined ? value : `${previous}\n${value}`);
	}

	return values;
}
