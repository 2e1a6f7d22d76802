// /etc/pam.d files: parse the stack, add a module line once and in the right place, list the modules it loads.
import {EditError, editResult, type EditResult} from './edit-result.js';
import {addedMarker, indentOf, LineEdits, splitLines} from './lines.js';

/** One logical line of a PAM service file: a module rule or an `@include`. */
export interface PamRule {
	/** Index of the (first) line in the file, from 0. */
	readonly line: number;
	/** Index of the last line when backslashes continue it. */
	readonly lastLine: number;
	readonly kind: 'rule' | 'include';
	/** auth, account, password or session; '' for `@include`. */
	readonly type: string;
	/** A leading `-` on the type: a missing module is skipped instead of failing the stack. */
	readonly silent: boolean;
	/** `required`, `optional`…, or a `[value=action …]` group with single spaces; '' for `@include`. */
	readonly control: string;
	/** The module (`pam_env.so`, `/lib/security/pam_x.so`), or the included file for include, substack and `@include`. */
	readonly module: string;
	readonly args: readonly string[];
}

/** Where a new line goes: after the last rule of this type that loads this module. */
export interface PamAnchor {
	readonly type: string;
	readonly module: string;
}

/** A line to have in a PAM file. */
export interface PamLineIntent {
	/** The rule as it should read, e.g. `session    required     pam_unbit.so`. */
	readonly line: string;
	readonly after?: PamAnchor;
}

const types = new Set(['auth', 'account', 'password', 'session']);

/** Splits a rule into words; `[...]` groups (controls, bracketed arguments) are one word each. */
function words(text: string): string[] {
	return [...text.matchAll(/\[(?:\\.|[^\]\\])*\]?|[^\s[]+/g)].map(match => match[0]);
}

function parseRule(text: string, line: number, lastLine: number): PamRule | undefined {
	const [first, ...rest] = words(text);
	if (first === undefined) {
		return undefined;
	}

	if (first === '@include') {
		return {line, lastLine, kind: 'include', type: '', silent: false, control: '', module: rest[0] ?? '', args: rest.slice(1)};
	}

	const silent = first.startsWith('-');
	const type = (silent ? first.slice(1) : first).toLowerCase();
	const [control = '', module = '', ...args] = rest;
	return {line, lastLine, kind: 'rule', type, silent, control: normalizeControl(control), module, args};
}

function normalizeControl(control: string): string {
	return control.startsWith('[') ? `[${control.slice(1, -1).trim().split(/\s+/).join(' ')}]` : control.toLowerCase();
}

function baseName(module: string): string {
	return module.split('/').at(-1) ?? module;
}

/** Parses a PAM service file: comments (`#` to the end of the line) and blank lines are skipped, `\` continues a line. */
export function parsePam(text: string): PamRule[] {
	const lines = splitLines(text);
	const rules: PamRule[] = [];
	for (let index = 0; index < lines.length; index++) {
		const start = index;
		let logical = '';
		let physical = lines[index]!.text;
		// Linux-PAM joins a line ending in a backslash with the next one before it strips comments.
		while (physical.endsWith('\\') && index + 1 < lines.length) {
			logical += `${physical.slice(0, -1)} `;
			index++;
			physical = lines[index]!.text;
		}

		logical += physical;
		const hash = logical.indexOf('#');
		const rule = parseRule(hash === -1 ? logical : logical.slice(0, hash), start, index);
		if (rule !== undefined) {
			rules.push(rule);
		}
	}

	return rules;
}

/** Module files the stack loads (as written, in order, once each); included files are not modules. */
export function pamModules(text: string): string[] {
	const modules = parsePam(text)
		.filter(rule => rule.kind === 'rule' && rule.control !== 'include' && rule.control !== 'substack' && rule.module !== '')
		.map(rule => rule.module);
	return [...new Set(modules)];
}

/**
 * Adds a rule unless an equivalent one (same type, control and module) is already active.
 * It goes after the last rule matching `after` (type and module, e.g. session pam_env.so), so it
 * runs after every line of that module; else after the last rule of its own type; else at the
 * end. A marker comment above the new line says Waymark added it.
 */
export function addPamLine(text: string, intent: PamLineIntent): EditResult {
	const wanted = /[\r\n]/.test(intent.line) ? undefined : parseRule(intent.line, 0, 0);
	if (wanted === undefined || wanted.kind !== 'rule' || !types.has(wanted.type) || wanted.control === '' || wanted.module === '' || intent.line.includes('#')) {
		throw new EditError('invalid', `PAM line ${JSON.stringify(intent.line)} is not a rule like "session required pam_unbit.so"`);
	}

	const rules = parsePam(text);
	const exists = rules.some(
		rule => rule.kind === 'rule' && rule.type === wanted.type && rule.control === wanted.control && baseName(rule.module) === baseName(wanted.module),
	);
	if (exists) {
		return editResult(text, text);
	}

	const lines = splitLines(text);
	const edits = new LineEdits(lines);
	const anchorRule =
		(intent.after === undefined
			? undefined
			: rules.findLast(rule => rule.kind === 'rule' && rule.type === intent.after!.type && baseName(rule.module) === baseName(intent.after!.module))) ??
		rules.findLast(rule => rule.kind === 'rule' && rule.type === wanted.type);
	const newLines = [addedMarker('#'), intent.line.trim()];
	if (anchorRule === undefined) {
		edits.append(newLines);
	} else {
		const indent = indentOf(lines[anchorRule.line]!.text);
		edits.insertBefore(
			anchorRule.lastLine + 1,
			newLines.map(line => indent + line),
		);
	}

	return editResult(text, edits.render());
}
