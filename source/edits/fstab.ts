// /etc/fstab: read entries, change one mount's options, retire cgroup lines systemd ignores anyway.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {disabledLine, indentOf, isMarker, LineEdits, splitLines, wasMarker} from './lines.js';

/** One active fstab line. Octal escapes (`\040` for a space) are decoded in source and target. */
export interface FstabEntry {
	readonly source: string;
	readonly target: string;
	readonly fstype: string;
	readonly options: readonly string[];
	readonly dump: number;
	readonly pass: number;
	/** Index of the line in the file, from 0. */
	readonly line: number;
}

/** Which mount's options to change, and how. */
export interface MountOptionsIntent {
	readonly mountpoint: string;
	/** Options to have; `key=value` replaces another value of the same key in place. */
	readonly add: readonly string[];
	/** Options to drop; a bare key (`jqfmt`) also drops `jqfmt=…`. */
	readonly remove?: readonly string[];
}

interface Field {
	readonly start: number;
	readonly end: number;
}

/** Splits a line into fields with their positions, so one field can be replaced in place. */
function fieldsOf(text: string): Field[] {
	const fields: Field[] = [];
	for (const match of text.matchAll(/[^ \t]+/g)) {
		fields.push({start: match.index, end: match.index + match[0].length});
	}

	return fields;
}

function decode(field: string): string {
	return field.replaceAll(/\\([0-7]{3})/g, (_, octal: string) => String.fromCodePoint(Number.parseInt(octal, 8)));
}

/** `/srv/` and `/srv` are the same mount point to mount(8) and systemd. */
function normalizeMountpoint(path: string): string {
	return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function isActive(text: string): boolean {
	const trimmed = text.trim();
	return trimmed !== '' && !trimmed.startsWith('#');
}

/** Parses the active lines of an fstab; comments and blank lines are skipped, missing fields get fstab(5) defaults. */
export function parseFstab(text: string): FstabEntry[] {
	return splitLines(text).flatMap((line, index) => {
		if (!isActive(line.text)) {
			return [];
		}

		const words = line.text.trim().split(/[ \t]+/);
		return [
			{
				source: decode(words[0]!),
				target: decode(words[1] ?? ''),
				fstype: words[2] ?? 'auto',
				options: (words[3] ?? 'defaults').split(','),
				dump: Number(words[4] ?? 0) || 0,
				pass: Number(words[5] ?? 0) || 0,
				line: index,
			},
		];
	});
}

/** The entry that mounts `mountpoint`, if exactly one does; swap lines never match. */
export function findMount(text: string, mountpoint: string): FstabEntry | undefined {
	const wanted = normalizeMountpoint(mountpoint);
	const matches = parseFstab(text).filter(entry => entry.target.startsWith('/') && normalizeMountpoint(entry.target) === wanted);
	if (matches.length > 1) {
		throw new EditError(
			'ambiguous',
			`/etc/fstab has ${matches.length} lines mounting ${mountpoint} (lines ${matches.map(entry => entry.line + 1).join(', ')}); keep one and run again`,
		);
	}

	return matches[0];
}

function applyOptions(current: readonly string[], intent: MountOptionsIntent): string[] {
	let options = [...current];
	for (const removed of intent.remove ?? []) {
		options = options.filter(option => option !== removed && (removed.includes('=') || option.split('=', 1)[0] !== removed));
	}

	for (const added of intent.add) {
		if (options.includes(added)) {
			continue;
		}

		const key = added.split('=', 1)[0]!;
		const sameKey = added.includes('=') ? options.findIndex(option => option.startsWith(`${key}=`)) : -1;
		if (sameKey === -1) {
			options.push(added);
		} else {
			options[sameKey] = added;
		}
	}

	// An empty options field would shift dump and pass into it.
	return options.length === 0 ? ['defaults'] : options;
}

/**
 * Changes the options field of the line that mounts `mountpoint`, and nothing else on it:
 * the other fields and the spacing between them stay, padding after the options shrinks or
 * grows so aligned columns stay aligned, and `defaults` stays unless removed by name.
 * A marker above the line records what it was. Throws EditError `not-found` when no line
 * mounts the mount point and `ambiguous` when several do.
 */
export function setMountOptions(text: string, intent: MountOptionsIntent): EditResult {
	for (const option of [...intent.add, ...(intent.remove ?? [])]) {
		if (!/^[^\s,#]+$/.test(option)) {
			throw new EditError('invalid', `Mount option ${JSON.stringify(option)} is not allowed: no spaces, commas or #`);
		}
	}

	const entry = findMount(text, intent.mountpoint);
	if (entry === undefined) {
		throw new EditError('not-found', `No line in /etc/fstab mounts ${intent.mountpoint}; add one (or mount the filesystem elsewhere) and run again`);
	}

	const options = applyOptions(entry.options, intent);
	if (options.join(',') === entry.options.join(',')) {
		return editResult(text, text);
	}

	const lines = splitLines(text);
	const original = lines[entry.line]!.text;
	const fields = fieldsOf(original);
	const optionsText = options.join(',');
	let rebuilt: string;
	const field = fields[3];
	if (field === undefined) {
		// No options field yet: dump and pass are missing too, so appending keeps the columns right.
		rebuilt = `${original.trimEnd()} ${optionsText}${original.slice(original.trimEnd().length)}`;
	} else {
		const next = fields[4];
		const gap = next === undefined ? '' : original.slice(field.end, next.start);
		let newGap = gap;
		// Spaces that pad a column absorb the change in width; a single space or a tab stays as is.
		if (/^ {2,}$/.test(gap)) {
			newGap = ' '.repeat(Math.max(1, gap.length - (optionsText.length - (field.end - field.start))));
		}

		rebuilt = original.slice(0, field.start) + optionsText + newGap + original.slice(field.end + gap.length);
	}

	const edits = new LineEdits(lines);
	const above = lines[entry.line - 1];
	edits.replace(entry.line, above !== undefined && isMarker(above.text, '#') ? [rebuilt] : [wasMarker('#', original, indentOf(original)), rebuilt]);
	return editResult(text, edits.render());
}

/**
 * Comments out every line that mounts a cgroup filesystem or anything under /sys/fs/cgroup:
 * systemd mounts that hierarchy itself, its fstab generator skips such lines, and `mount -a`
 * fails on them. Each disabled line says so.
 */
export function commentOutCgroupLines(text: string): EditResult {
	const lines = splitLines(text);
	const edits = new LineEdits(lines);
	for (const entry of parseFstab(text)) {
		const target = normalizeMountpoint(entry.target);
		if (entry.fstype === 'cgroup' || entry.fstype === 'cgroup2' || target === '/sys/fs/cgroup' || target.startsWith('/sys/fs/cgroup/')) {
			edits.replace(entry.line, [disabledLine('#', lines[entry.line]!.text, 'systemd mounts /sys/fs/cgroup itself')]);
		}
	}

	return editResult(text, edits.render());
}
