// INI files in the php.ini / uWSGI style: `key = value` in [sections], `;` or `#` comments, repeatable keys.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {addedMarker, indentOf, isMarker, LineEdits, splitLines, wasMarker} from './lines.js';

/** A value to set: a string replaces the key's value; a list makes sure each item has its own `key = item` line. */
export type IniValue = string | readonly string[];

/** Sections by name ('' is the part before any [section]), keys in the order they are written. */
export type IniSections = Readonly<Record<string, Readonly<Record<string, IniValue>>>>;

interface IniLine {
	readonly section: string;
	readonly kind: 'header' | 'key' | 'commented-key' | 'other';
	readonly key: string;
	readonly value: string;
	/** The text between key and value (` = ` or `=`), to write new lines in the file's style. */
	readonly separator: string;
}

// `;key=value` with no space after the comment character is a commented-out setting, as php.ini writes its defaults.
const keyLine = /^([ \t]*)([;#]?)([^\s;#=[][^=]*?)([ \t]*=[ \t]*)(.*?)[ \t]*$/;

function classify(text: string, section: string): IniLine {
	const header = /^[ \t]*\[([^\]]*)\]/.exec(text);
	if (header !== null) {
		return {section: header[1]!.trim(), kind: 'header', key: '', value: '', separator: ''};
	}

	const match = keyLine.exec(text);
	if (match === null) {
		return {section, kind: 'other', key: '', value: '', separator: ''};
	}

	return {section, kind: match[2] === '' ? 'key' : 'commented-key', key: match[3]!, value: match[5]!, separator: match[4]!};
}

function parseIni(text: string): IniLine[] {
	let section = '';
	return splitLines(text).map(line => {
		const parsed = classify(line.text, section);
		section = parsed.section;
		return parsed;
	});
}

/** The value as PHP reads it: surrounding double quotes removed, or an unquoted ` ; comment` cut off. */
function unquote(value: string): string {
	if (/^"[^"]*"$/.test(value)) {
		return value.slice(1, -1);
	}

	return value.replace(/[ \t]+;.*$/, '');
}

/** `key =value` reads oddly; a separator with a space before `=` gets one after it too. */
function tidySeparator(separator: string): string {
	return /^[ \t]+=$/.test(separator) ? `${separator} ` : separator;
}

function checkKey(key: string): void {
	if (!/^[^\s=;#[\]]+$/.test(key)) {
		throw new EditError('invalid', `INI key ${JSON.stringify(key)} is not allowed: no spaces, =, ;, # or brackets`);
	}
}

function checkValue(key: string, value: string): void {
	if (/[\r\n]/.test(value)) {
		throw new EditError('invalid', `INI value for ${key} must be one line`);
	}
}

/** Every value of `key` in `section`, in file order (commented-out lines excluded, surrounding double quotes removed). */
export function getIniValues(text: string, section: string, key: string): string[] {
	return parseIni(text)
		.filter(line => line.kind === 'key' && line.section === section && line.key === key)
		.map(line => unquote(line.value));
}

/** The value PHP and uWSGI use for `key` in `section`: the last one; undefined when the key is not set. */
export function getIniValue(text: string, section: string, key: string): string | undefined {
	return getIniValues(text, section, key).at(-1);
}

/** Renders a new INI file: an optional `;` header, then each section with `key = value` lines (lists repeat the key). */
export function renderIni(sections: IniSections, header?: string): string {
	const blocks: string[] = [];
	if (header !== undefined && header.trim() !== '') {
		blocks.push(
			header
				.split('\n')
				.map(line => (line.startsWith(';') ? line : `; ${line}`))
				.join('\n'),
		);
	}

	for (const [name, values] of Object.entries(sections)) {
		const lines = name === '' ? [] : [`[${name}]`];
		for (const [key, value] of Object.entries(values)) {
			checkKey(key);
			for (const item of typeof value === 'string' ? [value] : value) {
				checkValue(key, item);
				lines.push(`${key} = ${item}`);
			}
		}

		blocks.push(lines.join('\n'));
	}

	return `${blocks.join('\n\n')}\n`;
}

/**
 * Sets values in one section. A string value replaces the key's last active line (the one PHP
 * and uWSGI honour); if the key is only present commented out (`;cgi.fix_pathinfo=1`), that line
 * is uncommented in place; otherwise a line is added at the end of the section. A list value
 * (uWSGI `env = A=B`) adds each missing item after the key's other lines and removes nothing.
 * Comments stay; changed lines carry a `; waymark:` marker. `text` null means a new file.
 */
export function setIniValues(text: string | null, section: string, values: Readonly<Record<string, IniValue>>): EditResult {
	for (const [key, value] of Object.entries(values)) {
		checkKey(key);
		for (const item of typeof value === 'string' ? [value] : value) {
			checkValue(key, item);
		}
	}

	if (text === null) {
		return editResult('', renderIni({[section]: values}));
	}

	const lines = splitLines(text);
	const parsed = parseIni(text);
	const edits = new LineEdits(lines);
	const inSection = parsed.flatMap((line, index) => (line.section === section && line.kind !== 'header' ? [index] : []));
	const headerIndex = parsed.findLastIndex(line => line.kind === 'header' && line.section === section);
	const separator = inSection.map(index => parsed[index]!).find(line => line.kind === 'key')?.separator ?? ' = ';
	// Insertions keyed by the line they follow (-1: before the first line).
	const additions = new Map<number, string[]>();
	const add = (after: number, line: string) => additions.set(after, [...(additions.get(after) ?? []), line]);
	const lastContentLine = inSection.filter(index => lines[index]!.text.trim() !== '').at(-1) ?? (headerIndex === -1 ? undefined : headerIndex);
	const missingSection: string[] = [];

	for (const [key, value] of Object.entries(values)) {
		const active = inSection.filter(index => parsed[index]!.kind === 'key' && parsed[index]!.key === key);
		const commented = inSection.filter(index => parsed[index]!.kind === 'commented-key' && parsed[index]!.key === key);
		if (typeof value === 'string') {
			const target = active.at(-1) ?? commented[0];
			if (target === undefined) {
				if (lastContentLine === undefined) {
					missingSection.push(`${key}${separator}${value}`);
				} else {
					add(lastContentLine, `${key}${separator}${value}`);
				}

				continue;
			}

			const line = parsed[target]!;
			if (line.kind === 'key' && unquote(line.value) === value) {
				continue;
			}

			const original = lines[target]!.text;
			const rebuilt = `${indentOf(original)}${key}${tidySeparator(line.separator)}${value}`;
			edits.replace(target, [...(isMarker(lines[target - 1]?.text ?? '', ';') ? [] : [wasMarker(';', original, indentOf(original))]), rebuilt]);
			continue;
		}

		const present = new Set(active.map(index => unquote(parsed[index]!.value)));
		const anchor = active.at(-1) ?? commented.at(-1) ?? lastContentLine;
		for (const item of new Set(value)) {
			if (present.has(item)) {
				continue;
			}

			if (anchor === undefined) {
				missingSection.push(`${key}${separator}${item}`);
			} else {
				add(anchor, `${key}${separator}${item}`);
			}
		}
	}

	for (const [after, texts] of additions) {
		edits.insertBefore(after + 1, [addedMarker(';'), ...texts]);
	}

	if (missingSection.length > 0) {
		if (section === '') {
			// The part before the first [section] has no header; it goes at the top.
			edits.insertBefore(0, [addedMarker(';'), ...missingSection, '']);
		} else {
			const last = lines.at(-1);
			edits.append([...(last !== undefined && last.text.trim() !== '' ? [''] : []), `[${section}]`, addedMarker(';'), ...missingSection]);
		}
	}

	return editResult(text, edits.render());
}
