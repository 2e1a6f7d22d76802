// The params form as data: one field per role binding and per param, each validated like the CLI validates it.
import type {StartRequest, WizardSummary} from '../../engine/channel.js';
import {parseParam} from '../../engine/params.js';
import type {Param, ParamValue} from '../../engine/types.js';
import {parseTargetSpec, targetSpecForm} from '../../targets/spec.js';
import {paramHelp, paramValueText} from '../../wording/index.js';

/** How a field is edited: free text, masked text, a choice among values, or yes/no. */
export type FieldKind = 'target' | 'text' | 'secret' | 'enum' | 'boolean';

export interface FormField {
	/** `target:<role>` for a role binding, the param's name otherwise. */
	readonly id: string;
	/** What the operator reads, and what error messages name. */
	readonly label: string;
	readonly kind: FieldKind;
	/** One line under the focused field. */
	readonly help: string;
	/** With `enum`. */
	readonly choices?: readonly string[];
	/** The param behind the field; absent for role bindings. */
	readonly param?: Param;
	/** The role behind a `target` field. */
	readonly role?: string;
}

/** What a field holds while being edited. */
export type FieldValue = string | boolean;

/** Fields in order: the targets first (nothing can run without them), then the params. */
export function formFields(wizard: WizardSummary): FormField[] {
	const targets = wizard.roles.map(
		(role): FormField => ({id: `target:${role}`, label: `target for ${role}`, kind: 'target', role, help: `${targetSpecForm}; several separated by commas`}),
	);
	const params = wizard.params.map((param): FormField => {
		const kind: FieldKind = param.type === 'enum' ? 'enum' : param.type === 'boolean' ? 'boolean' : param.type === 'secret' ? 'secret' : 'text';
		return {
			id: param.name,
			label: param.name,
			kind,
			param,
			help: paramHelp(param),
			...(param.choices === undefined ? {} : {choices: param.choices}),
		};
	});
	return [...targets, ...params];
}

function defaultText(value: ParamValue | undefined): string {
	return value === undefined ? '' : paramValueText(value);
}

/** Defaults prefilled; an enum without a default starts on its first choice, a boolean on no. */
export function initialValues(
	fields: readonly FormField[],
	bindings: Readonly<Record<string, readonly string[]>> = {},
	answers: Readonly<Record<string, unknown>> = {},
): Record<string, FieldValue> {
	const values: Record<string, FieldValue> = {};
	for (const field of fields) {
		const given = field.param === undefined ? undefined : answers[field.param.name];
		if (given !== undefined && given !== null && field.kind !== 'target') {
			// An answer already given (an answers file, the last run) is shown as typed, to check or change.
			values[field.id] = field.kind === 'boolean' ? given === true || /^(yes|y|true|1|on)$/i.test(String(given)) : defaultText(given as ParamValue);
		} else if (field.kind === 'target') {
			values[field.id] = (bindings[field.role!] ?? []).join(', ');
		} else if (field.kind === 'boolean') {
			values[field.id] = field.param?.default === true;
		} else if (field.kind === 'enum') {
			values[field.id] = defaultText(field.param?.default) || (field.choices?.[0] ?? '');
		} else {
			values[field.id] = defaultText(field.param?.default);
		}
	}

	return values;
}

/** Target specs as typed: `local, ssh:node1` → ['local', 'ssh:node1']. */
export function splitTargets(text: string): string[] {
	return text.split(/[\s,]+/).filter(word => word !== '');
}

/** Checks one field; the error names the field and the expected form. */
export function validateField(field: FormField, value: FieldValue): {readonly value?: unknown; readonly error?: string} {
	if (field.kind === 'target') {
		const specs = splitTargets(String(value));
		if (specs.length === 0) {
			return {error: `${field.label}: is empty; expected ${targetSpecForm}`};
		}

		for (const spec of specs) {
			const {error} = parseTargetSpec(spec);
			if (error !== undefined) {
				return {error: `${field.label}: ${error}`};
			}
		}

		return {value: specs};
	}

	const {value: parsed, error} = parseParam(field.param!, value);
	return error === undefined ? {value: parsed} : {error: error.message};
}

/** Every field's error, by field id; empty when the form can be sent. */
export function validateAll(fields: readonly FormField[], values: Readonly<Record<string, FieldValue>>): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const field of fields) {
		const {error} = validateField(field, values[field.id] ?? '');
		if (error !== undefined) {
			errors[field.id] = error;
		}
	}

	return errors;
}

/** The start request from valid values; call only when `validateAll` found nothing. */
export function startRequest(wizard: WizardSummary, fields: readonly FormField[], values: Readonly<Record<string, FieldValue>>): StartRequest {
	const bindings: Record<string, readonly string[]> = {};
	const answers: Record<string, unknown> = {};
	for (const field of fields) {
		const {value} = validateField(field, values[field.id] ?? '');
		if (field.kind === 'target') {
			bindings[field.role!] = value as readonly string[];
		} else {
			answers[field.id] = value;
		}
	}

	return {guide: wizard.id, bindings, answers};
}
