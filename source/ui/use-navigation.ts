// Which screen the app shows, and the moves between screens.
import {useCallback, useReducer} from 'react';
import type {RunChannel, WizardSummary} from '../engine/channel.js';
import type {RunStatus} from '../engine/types.js';
import type {FormRejection} from './params-form.js';

/** Target specs by role, as typed. */
export type Bindings = Readonly<Record<string, readonly string[]>>;

/** The screens, in the order an operator meets them. */
export type Screen =
	| {readonly name: 'home'; readonly problem?: string}
	| {readonly name: 'overview'; readonly wizard: WizardSummary; readonly bindings?: Bindings}
	| {readonly name: 'params'; readonly wizard: WizardSummary; readonly bindings?: Bindings; readonly rejection?: FormRejection}
	| {readonly name: 'run'; readonly channel: RunChannel; readonly serial: number};

export interface NavigationState {
	readonly screen: Screen;
	/** Counts runs so each run screen mounts fresh. */
	readonly runs: number;
	/** The last run's end, reported when the app exits. */
	readonly lastStatus?: RunStatus;
}

export type NavigationAction =
	| {readonly type: 'open-guide'; readonly wizard: WizardSummary}
	| {readonly type: 'configure'}
	| {readonly type: 'reject'; readonly rejection: FormRejection}
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
			return screen.name === 'overview' ? {...state, screen: {...screen, name: 'params'}} : state;
		}

		case 'reject': {
			return screen.name === 'params' ? {...state, screen: {...screen, rejection: action.rejection}} : state;
		}

		case 'run': {
			return {...state, runs: state.runs + 1, screen: {name: 'run', channel: action.channel, serial: state.runs + 1}};
		}

		case 'run-ended': {
			return {...state, lastStatus: action.status};
		}

		case 'back': {
			if (screen.name === 'params') {
				const {rejection: _dropped, ...rest} = screen;
				return {...state, screen: {...rest, name: 'overview'}};
			}

			return screen.name === 'overview' ? {...state, screen: {name: 'home'}} : state;
		}

		case 'home': {
			return {...state, screen: action.problem === undefined ? {name: 'home'} : {name: 'home', problem: action.problem}};
		}
	}
}

export interface UseNavigationResult {
	readonly state: NavigationState;
	readonly openGuide: (wizard: WizardSummary) => void;
	/** From the overview to the params form. */
	readonly configure: () => void;
	/** The run could not start: stay on the form and say why. */
	readonly reject: (rejection: FormRejection) => void;
	readonly showRun: (channel: RunChannel) => void;
	readonly runEnded: (status: RunStatus) => void;
	readonly back: () => void;
	/** Back to the guides, optionally saying what went wrong. */
	readonly home: (problem?: string) => void;
}

export function useNavigation(initial: Screen): UseNavigationResult {
	const [state, dispatch] = useReducer(navigationReducer, {screen: initial, runs: initial.name === 'run' ? 1 : 0});
	return {
		state,
		openGuide: useCallback((wizard: WizardSummary) => {
			dispatch({type: 'open-guide', wizard});
		}, []),
		configure: useCallback(() => {
			dispatch({type: 'configure'});
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
