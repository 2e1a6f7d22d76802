// Which screen the app shows, and the moves between screens.
import {useCallback, useReducer} from 'react';
import type {CheckReport, RunChannel, StartRequest, WizardSummary} from '../../engine/channel.js';
import type {RunStatus} from '../../engine/types.js';
import type {FormRejection} from '../params-form/params-form.js';

/** Target specs by role, as typed. */
export type Bindings = Readonly<Record<string, readonly string[]>>;
/** Answers as given (an answers file, the last run), raw: the form validates them. */
export type Answers = Readonly<Record<string, unknown>>;

/** What the params form's request is for: a run, or a read-only check of the hosts. */
export type FormPurpose = 'run' | 'check';

/** A check under way; its answer counts only while the screen still waits for this serial. */
export interface PendingCheck {
	readonly serial: number;
	readonly request: StartRequest;
}

/** The screens, in the order an operator meets them. */
export type Screen =
	| {readonly name: 'home'; readonly problem?: string}
	| {readonly name: 'overview'; readonly wizard: WizardSummary; readonly bindings?: Bindings; readonly answers?: Answers}
	| {
			readonly name: 'params';
			readonly wizard: WizardSummary;
			readonly purpose: FormPurpose;
			readonly bindings?: Bindings;
			/** Prefilled answers. */
			readonly answers?: Answers;
			readonly rejection?: FormRejection;
			readonly pending?: PendingCheck;
	  }
	| {
			readonly name: 'check';
			readonly wizard: WizardSummary;
			/** The request checked: re-checks and fixing runs reuse it. */
			readonly request: StartRequest;
			readonly report: CheckReport;
			/** The check that made this report, so a new report mounts fresh. */
			readonly serial: number;
			readonly pending?: PendingCheck;
			/** Why a re-check or a fixing run could not start. */
			readonly problem?: string;
	  }
	| {readonly name: 'run'; readonly channel: RunChannel; readonly serial: number};

export interface NavigationState {
	readonly screen: Screen;
	/** Counts runs so each run screen mounts fresh. */
	readonly runs: number;
	/** The last run's end, reported when the app exits. */
	readonly lastStatus?: RunStatus;
}

/** The targets and answers of a guide's last run, to start the form from. */
export interface Prefill {
	readonly bindings?: Bindings;
	readonly answers?: Answers;
}

export type NavigationAction =
	| {readonly type: 'open-guide'; readonly wizard: WizardSummary}
	| {readonly type: 'configure'; readonly purpose: FormPurpose; readonly prefill?: Prefill}
	| {readonly type: 'reject'; readonly rejection: FormRejection}
	| {readonly type: 'check-start'; readonly serial: number; readonly request: StartRequest}
	| {readonly type: 'check-done'; readonly serial: number; readonly report: CheckReport}
	| {readonly type: 'check-failed'; readonly serial: number; readonly message: string}
	| {readonly type: 'run'; readonly channel: RunChannel}
	| {readonly type: 'run-ended'; readonly status: RunStatus}
	| {readonly type: 'back'}
	| {readonly type: 'home'; readonly problem?: string};

/** Pure: moves between screens. */
export function navigationReducer(state: NavigationState, action: NavigationAction): NavigationState {
	const {screen} = state;
	switch (action.type) {
		case 'open-guide': {
			return {...state, screen: {name: 'overview', wizard: action.wizard}};
		}

		case 'configure': {
			if (screen.name !== 'overview') {
				return state;
			}

			// What the screen already carries (a `waymark run` with missing answers) wins over the last run's.
			const bindings = screen.bindings ?? action.prefill?.bindings;
			const answers = screen.answers ?? action.prefill?.answers;
			return {
				...state,
				screen: {...screen, name: 'params', purpose: action.purpose, ...(bindings ? {bindings} : {}), ...(answers ? {answers} : {})},
			};
		}

		case 'reject': {
			if (screen.name === 'check') {
				return {...state, screen: {...screen, problem: action.rejection.message}};
			}

			return screen.name === 'params' ? {...state, screen: {...screen, rejection: action.rejection}} : state;
		}

		case 'check-start': {
			const pending = {serial: action.serial, request: action.request};
			if (screen.name === 'params') {
				const {rejection: _cleared, ...rest} = screen;
				return {...state, screen: {...rest, pending}};
			}

			if (screen.name === 'check') {
				const {problem: _cleared, ...rest} = screen;
				return {...state, screen: {...rest, pending}};
			}

			return state;
		}

		case 'check-done': {
			if ((screen.name !== 'params' && screen.name !== 'check') || screen.pending?.serial !== action.serial) {
				return state;
			}

			return {...state, screen: {name: 'check', wizard: screen.wizard, request: screen.pending.request, report: action.report, serial: action.serial}};
		}

		case 'check-failed': {
			if ((screen.name !== 'params' && screen.name !== 'check') || screen.pending?.serial !== action.serial) {
				return state;
			}

			const {pending: _done, ...rest} = screen;
			return {...state, screen: rest.name === 'params' ? {...rest, rejection: {message: action.message}} : {...rest, problem: action.message}};
		}

		case 'run': {
			return {...state, runs: state.runs + 1, screen: {name: 'run', channel: action.channel, serial: state.runs + 1}};
		}

		case 'run-ended': {
			return {...state, lastStatus: action.status};
		}

		case 'back': {
			if (screen.name === 'params') {
				return {...state, screen: {name: 'overview', wizard: screen.wizard, ...(screen.bindings === undefined ? {} : {bindings: screen.bindings})}};
			}

			if (screen.name === 'check') {
				return {...state, screen: {name: 'overview', wizard: screen.wizard, bindings: screen.request.bindings}};
			}

			return screen.name === 'overview' ? {...state, screen: {name: 'home'}} : state;
		}

		case 'home': {
			return {...state, screen: action.problem === undefined ? {name: 'home'} : {name: 'home', problem: action.problem}};
		}
	}
}

export interface UseNavigationStateResult {
	/** The screen shown, and what the app remembers across screens. */
	readonly state: NavigationState;
	/** From home to a guide's overview. */
	readonly openGuide: (wizard: WizardSummary) => void;
	/** From the overview to the params form, for a run (default) or a check. */
	/** Opens the form, prefilled with `prefill` (the guide's last run) where the screen has nothing of its own. */
	readonly configure: (purpose?: FormPurpose, prefill?: Prefill) => void;
	/** The run could not start: stay on the form (or the check report) and say why. */
	readonly reject: (rejection: FormRejection) => void;
	/** A check of `request` was sent; `serial` tells its answer from older ones. */
	readonly checkStarted: (serial: number, request: StartRequest) => void;
	/** The check answered: show the report, if the screen still waits for it. */
	readonly checkDone: (serial: number, report: CheckReport) => void;
	/** The check could not be made: say why where it was asked for. */
	readonly checkFailed: (serial: number, message: string) => void;
	/** A run started or resumed: show it on a fresh run screen. */
	readonly showRun: (channel: RunChannel) => void;
	/** The run shown has ended: its status is what the app reports when it exits. */
	readonly runEnded: (status: RunStatus) => void;
	/** One screen back: form or report → overview → home. */
	readonly back: () => void;
	/** Back to the guides, optionally saying what went wrong. */
	readonly home: (problem?: string) => void;
}

/** The screen shown and the named moves between screens. */
export function useNavigationState(initial: Screen): UseNavigationStateResult {
	const [state, dispatch] = useReducer(navigationReducer, {screen: initial, runs: initial.name === 'run' ? 1 : 0});
	return {
		state,
		openGuide: useCallback((wizard: WizardSummary) => {
			dispatch({type: 'open-guide', wizard});
		}, []),
		configure: useCallback((purpose: FormPurpose = 'run', prefill?: Prefill) => {
			dispatch({type: 'configure', purpose, ...(prefill ? {prefill} : {})});
		}, []),
		checkStarted: useCallback((serial: number, request: StartRequest) => {
			dispatch({type: 'check-start', serial, request});
		}, []),
		checkDone: useCallback((serial: number, report: CheckReport) => {
			dispatch({type: 'check-done', serial, report});
		}, []),
		checkFailed: useCallback((serial: number, message: string) => {
			dispatch({type: 'check-failed', serial, message});
		}, []),
		reject: useCallback((rejection: FormRejection) => {
			dispatch({type: 'reject', rejection});
		}, []),
		showRun: useCallback((channel: RunChannel) => {
			dispatch({type: 'run', channel});
		}, []),
		runEnded: useCallback((status: RunStatus) => {
			dispatch({type: 'run-ended', status});
		}, []),
		back: useCallback(() => {
			dispatch({type: 'back'});
		}, []),
		home: useCallback((problem?: string) => {
			dispatch(problem === undefined ? {type: 'home'} : {type: 'home', problem});
		}, []),
	};
}
