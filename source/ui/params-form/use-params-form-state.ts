// The params form's state: values, errors, focus; every submit validates before anything is sent.
import {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import type {StartRequest, WizardSummary} from '../../engine/channel.js';
import {applyInput} from '../components/text-editing.js';
import {type FieldValue, type FormField, formFields, initialValues, startRequest, validateAll, validateField} from './form-fields.js';

export interface ParamsFormState {
	readonly fields: readonly FormField[];
	readonly values: Readonly<Record<string, FieldValue>>;
	/** Messages by field id, shown under the field. */
	readonly errors: Readonly<Record<string, string>>;
	/** Index of the focused field. */
	readonly focus: number;
	/** Set when every field passed; sent once, then cleared. */
	readonly request?: StartRequest;
	readonly wizard: WizardSummary;
	/** The values the form opened with: esc leaves without asking while nothing differs. */
	readonly pristine: Readonly<Record<string, FieldValue>>;
	/** esc was pressed with something typed: a second esc leaves, any other key stays. */
	readonly leaving: boolean;
}

/** Whether anything was typed or chosen since the form opened. */
export function isDirty(state: ParamsFormState): boolean {
	return state.fields.some(field => state.values[field.id] !== state.pristine[field.id]);
}

export type ParamsFormAction =
	| {readonly type: 'change'; readonly id: string; readonly value: FieldValue}
	| {readonly type: 'move'; readonly by: 1 | -1}
	| {readonly type: 'submit-field'; readonly carry?: string}
	| {readonly type: 'keys'; readonly raw: string}
	| {readonly type: 'submit'}
	| {readonly type: 'sent'}
	| {readonly type: 'ask-leave'}
	| {readonly type: 'stay'};

function submitAll(state: ParamsFormState): ParamsFormState {
	const errors = validateAll(state.fields, state.values);
	const firstInvalid = state.fields.findIndex(field => errors[field.id] !== undefined);
	if (firstInvalid !== -1) {
		return {...state, errors, focus: firstInvalid};
	}

	return {...state, errors, request: startRequest(state.wizard, state.fields, state.values)};
}

function changed(state: ParamsFormState, id: string, value: FieldValue): ParamsFormState {
	const {[id]: _cleared, ...errors} = state.errors;
	const values = {...state.values, [id]: value};
	// A number field says at once when it holds something that is not a number ("5x"), not only at start.
	const field = state.fields.find(each => each.id === id);
	const numeric = field?.param?.type === 'integer' || field?.param?.type === 'port';
	const live = numeric && value !== '' && field ? validateField(field, value).error : undefined;
	return {...state, values, errors: live === undefined ? errors : {...errors, [id]: live}};
}

/** Validates the focused field: on success moves on, and on the last field submits the form. */
function submitFocused(state: ParamsFormState): ParamsFormState {
	const field = state.fields[state.focus];
	if (field === undefined) {
		return submitAll(state);
	}

	const {error} = validateField(field, state.values[field.id] ?? '');
	if (error !== undefined) {
		return {...state, errors: {...state.errors, [field.id]: error}};
	}

	const {[field.id]: _cleared, ...errors} = state.errors;
	if (state.focus < state.fields.length - 1) {
		return {...state, errors, focus: state.focus + 1};
	}

	return submitAll({...state, errors});
}

const escapeSequence = /^\u001B(?:\[[0-9;]*[A-Za-z~]|O[A-Za-z])?/;

/**
 * Keys that came in one burst (typed ahead while the screen was busy, e.g. `⏎⏎⏎` over a slow link), applied one at a
 * time to whichever field has the focus by then, exactly as if each had arrived alone (a refused Enter leaves the
 * focus where it is, and the keys after it edit that field). Nothing is applied once the form is sent.
 */
function applyKeys(from: ParamsFormState, raw: string): ParamsFormState {
	let state = from;
	let keys = raw;
	while (keys !== '' && state.request === undefined) {
		const field = state.fields[state.focus];
		if (field === undefined) {
			break;
		}

		let submitted = false;
		if (field.kind === 'enum' || field.kind === 'boolean') {
			const key = escapeSequence.exec(keys)?.[0] || keys[0]!;
			keys = keys.slice(key.length);
			if (key === '\r' || key === '\n') {
				submitted = true;
			} else if (field.kind === 'boolean' && (key === 'y' || key === 'n')) {
				state = changed(state, field.id, key === 'y');
			} else if (field.kind === 'boolean' && key === ' ') {
				state = changed(state, field.id, state.values[field.id] !== true);
			} else if (field.kind === 'enum' && key === ' ') {
				const choices = field.choices ?? [];
				const at = Math.max(0, choices.indexOf(String(state.values[field.id])));
				state = changed(state, field.id, choices[(at + 1) % choices.length] ?? '');
			}
		} else {
			const value = String(state.values[field.id] ?? '');
			const edit = applyInput({value, cursor: value.length}, keys);
			state = edit.state.value === value ? state : changed(state, field.id, edit.state.value);
			keys = edit.rest;
			submitted = edit.submitted;
		}

		if (submitted) {
			state = submitFocused(state);
		}
	}

	return state;
}

/** Pure: folds the form's actions. */
export function paramsFormReducer(state: ParamsFormState, action: ParamsFormAction): ParamsFormState {
	switch (action.type) {
		case 'change': {
			return changed(state, action.id, action.value);
		}

		case 'move': {
			const focus = Math.min(state.fields.length - 1, Math.max(0, state.focus + action.by));
			return {...state, focus};
		}

		case 'submit-field': {
			return applyKeys(submitFocused(state), action.carry ?? '');
		}

		case 'keys': {
			return applyKeys(state, action.raw);
		}

		case 'submit': {
			return submitAll(state);
		}

		case 'sent': {
			const {request: _sent, ...rest} = state;
			return rest;
		}

		case 'ask-leave': {
			return {...state, leaving: true};
		}

		case 'stay': {
			return {...state, leaving: false};
		}
	}
}

/** The form as it opens: defaults and given targets filled in, the first field focused. */
export function initialParamsFormState(
	wizard: WizardSummary,
	bindings?: Readonly<Record<string, readonly string[]>>,
	answers?: Readonly<Record<string, unknown>>,
): ParamsFormState {
	const fields = formFields(wizard);
	const values = initialValues(fields, bindings, answers);
	return {wizard, fields, values, errors: {}, focus: 0, pristine: values, leaving: false};
}

export interface UseParamsFormStateResult {
	/** Fields, values, messages and focus. */
	readonly state: ParamsFormState;
	/** Sets a field's value (and clears its message until the next submit). */
	readonly change: (id: string, value: FieldValue) => void;
	/** Tab or ↓: the next field. */
	readonly focusNext: () => void;
	/** Shift+tab or ↑: the previous field. */
	readonly focusPrevious: () => void;
	/** Validates the focused field: on success moves on (and there applies `carry`, the keys typed after this ⏎), and on the last field submits the form. */
	readonly submitField: (carry?: string) => void;
	/** Several keys that arrived as one burst, applied one by one. */
	readonly keys: (raw: string) => void;
	/** Validates every field and sends the request when all pass. */
	readonly submit: () => void;
	/** esc with something typed: ask before leaving. */
	readonly askLeave: () => void;
	/** Any key but esc while asking: stay in the form. */
	readonly stay: () => void;
}

/** State and named callbacks of the params form; `onSubmit` receives a request only when every field is valid. */
export function useParamsFormState(
	wizard: WizardSummary,
	onSubmit: (request: StartRequest) => void,
	bindings?: Readonly<Record<string, readonly string[]>>,
	answers?: Readonly<Record<string, unknown>>,
): UseParamsFormStateResult {
	const initial = useMemo(() => initialParamsFormState(wizard, bindings, answers), [wizard, bindings, answers]);
	const [state, dispatch] = useReducer(paramsFormReducer, initial);
	const onSubmitRef = useRef(onSubmit);
	onSubmitRef.current = onSubmit;

	useEffect(() => {
		if (state.request !== undefined) {
			dispatch({type: 'sent'});
			onSubmitRef.current(state.request);
		}
	}, [state.request]);

	const change = useCallback((id: string, value: FieldValue) => {
		dispatch({type: 'change', id, value});
	}, []);
	const focusNext = useCallback(() => {
		dispatch({type: 'move', by: 1});
	}, []);
	const focusPrevious = useCallback(() => {
		dispatch({type: 'move', by: -1});
	}, []);
	const submitField = useCallback((carry?: string) => {
		dispatch(carry ? {type: 'submit-field', carry} : {type: 'submit-field'});
	}, []);
	const keys = useCallback((raw: string) => {
		dispatch({type: 'keys', raw});
	}, []);
	const submit = useCallback(() => {
		dispatch({type: 'submit'});
	}, []);

	const askLeave = useCallback(() => {
		dispatch({type: 'ask-leave'});
	}, []);
	const stay = useCallback(() => {
		dispatch({type: 'stay'});
	}, []);

	return {state, change, focusNext, focusPrevious, submitField, keys, submit, askLeave, stay};
}
