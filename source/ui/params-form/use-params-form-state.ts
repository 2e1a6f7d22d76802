// The params form's state: values, errors, focus; every submit validates before anything is sent.
import {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import type {StartRequest, WizardSummary} from '../../engine/channel.js';
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
	| {readonly type: 'submit-field'}
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

/** Pure: folds the form's actions. */
export function paramsFormReducer(state: ParamsFormState, action: ParamsFormAction): ParamsFormState {
	switch (action.type) {
		case 'change': {
			const {[action.id]: _cleared, ...errors} = state.errors;
			const values = {...state.values, [action.id]: action.value};
			// A number field says at once when it holds something that is not a number ("5x"), not only at start.
			const field = state.fields.find(each => each.id === action.id);
			const numeric = field?.param?.type === 'integer' || field?.param?.type === 'port';
			const live = numeric && action.value !== '' && field ? validateField(field, action.value).error : undefined;
			return {...state, values, errors: live === undefined ? errors : {...errors, [action.id]: live}};
		}

		case 'move': {
			const focus = Math.min(state.fields.length - 1, Math.max(0, state.focus + action.by));
			return {...state, focus};
		}

		case 'submit-field': {
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
	/** Validates the focused field: on success moves on, and on the last field submits the form. */
	readonly submitField: () => void;
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
	const submitField = useCallback(() => {
		dispatch({type: 'submit-field'});
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

	return {state, change, focusNext, focusPrevious, submitField, submit, askLeave, stay};
}
