// Typed operator input: every value is checked here before any command runs.
import {isCidr, isIpv4} from './addresses.js';
import type {Answers, Param, ParamError, ParamValue, Wizard} from './types.js';

const hostnamePattern = /^(?=.{1,253}$)(?!-)[a-z\d-]{1,63}(?<!-)(\.(?!-)[a-z\d-]{1,63}(?<!-))*\.?$/i;
// Paths are absolute and made of ordinary characters: no quotes, no $, no backquotes, no newlines.
const pathPattern = /^\/[\w.@%+=:,/-]*$/;
// A word never starts with `-`: it may become a command's argument, and must never be read as an option.
const wordPattern = /^(?!-)[\w.@%+=:,/-]+$/;
// Free text is printable ASCII with spaces, never anything a shell or a config file could read as structure, and
// never starts with `-`; look-alike Unicode punctuation is refused rather than guessed at.
const safeTextPattern = /^(?!-)[ !#%()*+,\-./0-9:=?@A-Z[\]^_a-z{}~]*$/;

/** The longest value each type takes: nothing legitimate comes near, and a 100k-character answer is refused. */
export const maxLength: Record<Param['type'], number> = {
	string: 1024,
	ipv4: 15,
	'ipv4-list': 4096,
	cidr: 18,
	port: 5,
	hostname: 253,
	path: 1024,
	enum: 64,
	boolean: 5,
	'word-list': 8192,
	integer: 10,
	secret: 1024,
};

/** What each type expects, as told to the operator. */
export const expectedForm: Record<Param['type'], string> = {
	string: 'plain ASCII text without quotes, $, backquotes, backslashes, ;, |, &, <, >, newlines or a leading -',
	ipv4: 'an IPv4 address such as 192.0.2.10',
	'ipv4-list': 'IPv4 addresses separated by commas or spaces, such as 192.0.2.2, 192.0.2.3',
	cidr: 'an IPv4 network in CIDR form such as 10.8.0.0/24',
	port: 'a port number from 1 to 65535',
	hostname: 'a host name such as node1.example.com',
	path: 'an absolute path such as /etc/uwsgi (letters, digits and ._-/ only)',
	enum: 'one of the listed choices',
	boolean: 'yes or no',
	'word-list': 'words separated by commas or spaces (letters, digits and ._-+:@/ only, none starting with -)',
	integer: 'a whole number',
	secret: 'any text without newlines',
};

export {isCidr, isIpv4} from './addresses.js';

/** Splits a list typed as `a, b c` into words; an array passes through. */
export function splitList(value: ParamValue): string[] {
	if (Array.isArray(value)) {
		return [...(value as readonly string[])];
	}

	return String(value)
		.split(/[\s,]+/)
		.filter(word => word !== '');
}

/** Turns raw input (typed text, a YAML value) into the param's value, or an error naming the field. */
export function parseParam(param: Param, raw: unknown): {value?: ParamValue; error?: ParamError} {
	const fail = (detail?: string) => ({
		error: {
			field: param.name,
			message: `${param.name}: ${detail ?? `got ${shown(raw)}`}; expected ${expectation(param)}`,
		},
	});

	const length = typeof raw === 'string' ? raw.length : Array.isArray(raw) ? raw.map(String).join(' ').length : 0;
	if (length > maxLength[param.type]) {
		return fail(`is ${length} characters long, more than the ${maxLength[param.type]} allowed`);
	}

	if (param.type === 'integer') {
		const text = String(raw ?? '').trim();
		if (text === '' && param.optional) {
			return {value: ''};
		}

		const value = Number(text);
		if (!/^-?\d{1,10}$/.test(text) || !Number.isSafeInteger(value)) {
			return fail();
		}

		if ((param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max)) {
			return fail(`${value} is out of range`);
		}

		return {value: String(value)};
	}

	if (param.type === 'boolean') {
		if (typeof raw === 'boolean') {
			return {value: raw};
		}

		const text = String(raw).trim().toLowerCase();
		if (['yes', 'y', 'true', '1', 'on'].includes(text)) {
			return {value: true};
		}

		if (['no', 'n', 'false', '0', 'off'].includes(text)) {
			return {value: false};
		}

		return fail();
	}

	if (param.type === 'ipv4-list' || param.type === 'word-list') {
		if (raw !== undefined && raw !== null && typeof raw !== 'string' && !Array.isArray(raw)) {
			return fail();
		}

		// Spaces, tabs and newlines separate words; any other control character (a CR, a NUL) is refused.
		if (typeof raw === 'string' && /[\u0000-\u0008\u000B-\u001F\u007F]/.test(raw)) {
			return fail('contains a control character');
		}

		if (Array.isArray(raw) && raw.some(word => /[\u0000-\u001F\u007F]/.test(String(word)))) {
			return fail('contains a control character');
		}

		const words = splitList((raw ?? '') as ParamValue).map(String);
		if (words.length === 0 && !param.optional) {
			return fail('is empty');
		}

		const check = param.type === 'ipv4-list' ? isIpv4 : (word: string) => wordPattern.test(word) && !word.split('/').includes('..');
		const bad = words.find(word => !check(word));
		if (bad !== undefined) {
			return fail(`${shown(bad)} is not valid`);
		}

		return {value: words};
	}

	if (typeof raw !== 'string' && typeof raw !== 'number') {
		return fail();
	}

	const text = String(raw);
	if (text === '') {
		return param.optional ? {value: ''} : fail('is empty');
	}

	const valid: Record<Exclude<Param['type'], 'boolean' | 'ipv4-list' | 'word-list' | 'integer'>, (value: string) => boolean> = {
		string: value => safeTextPattern.test(value) && !value.split(/[\s/]+/).includes('..'),
		ipv4: isIpv4,
		cidr: isCidr,
		port: value => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65_535,
		// An address, or a name whose last label has a letter: an all-digit name is a mistyped address, not a host.
		hostname: value => isIpv4(value) || (hostnamePattern.test(value) && /[a-z]/i.test(value.replace(/\.$/, '').split('.').at(-1) ?? '')),
		path: value => pathPattern.test(value) && !value.split('/').includes('..'),
		enum: value => (param.choices ?? []).includes(value),
		secret: value => !/[\u0000-\u001F\u007F]/.test(value),
	};

	if (!valid[param.type](text)) {
		return param.type === 'secret' ? fail('contains a newline or another control character') : fail();
	}

	return {value: text};
}

/** A value as shown in a message: quoted, and cut short when it is long (the operator knows what they typed). */
function shown(raw: unknown): string {
	const text = JSON.stringify(raw) ?? String(raw);
	return text.length > 80 ? `${text.slice(0, 60)}…" (${text.length} characters)` : text;
}

/** What a param expects, in the operator's words. */
export function expectation(param: Param): string {
	if (param.type === 'enum') {
		return `one of ${(param.choices ?? []).join(', ')}`;
	}

	if (param.type === 'integer') {
		const range =
			param.min !== undefined && param.max !== undefined ? ` from ${param.min} to ${param.max}` : param.min !== undefined ? ` of at least ${param.min}` : '';
		return `${expectedForm.integer}${range}`;
	}

	return expectedForm[param.type];
}

/**
 * Validates every param of a wizard from raw answers, filling defaults.
 * `missing` lists params with neither an answer nor a default.
 */
export function resolveAnswers(wizard: Wizard, raw: Readonly<Record<string, unknown>>): {answers: Answers; errors: ParamError[]; missing: Param[]} {
	const answers: Record<string, ParamValue> = {};
	const errors: ParamError[] = [];
	const missing: Param[] = [];
	const known = new Set(wizard.params.map(param => param.name));

	for (const name of Object.keys(raw)) {
		if (!known.has(name)) {
			errors.push({field: name, message: `${name}: not a parameter of ${wizard.id}; known: ${[...known].join(', ')}`});
		}
	}

	for (const param of wizard.params) {
		const given = raw[param.name];
		if (given === undefined || given === null) {
			if (param.default === undefined) {
				if (param.optional) {
					answers[param.name] = param.type.endsWith('-list') ? [] : '';
				} else {
					missing.push(param);
				}

				continue;
			}

			answers[param.name] = param.default;
			continue;
		}

		const {value, error} = parseParam(param, given);
		if (error) {
			errors.push(error);
		} else if (value !== undefined) {
			answers[param.name] = value;
		}
	}

	if (errors.length === 0 && missing.length === 0 && wizard.validate) {
		errors.push(...wizard.validate(answers));
	}

	return {answers, errors, missing};
}

export function answerText(answers: Answers, name: string): string {
	const value = answers[name];
	return Array.isArray(value) ? value.join(' ') : String(value ?? '');
}

export function answerList(answers: Answers, name: string): string[] {
	return splitList(answers[name] ?? '');
}

export function answerFlag(answers: Answers, name: string): boolean {
	return answers[name] === true;
}
