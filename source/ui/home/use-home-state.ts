// The home screen's state: which list has the keyboard, and the saved run whose resume question is open.
import {useCallback, useReducer} from 'react';
import type {RunSummary} from '../../engine/channel.js';

/** Which list has the keyboard. */
export type HomeFocus = 'guides' | 'runs';

export interface HomeState {
	readonly focus: HomeFocus;
	/** The saved run chosen for resuming, while its question is asked. */
	readonly confirming?: RunSummary;
}

export type HomeAction = {readonly type: 'toggle-focus'} | {readonly type: 'confirm'; readonly run: RunSummary} | {readonly type: 'cancel'};

/** Pure: folds the home screen's actions. */
export function homeReducer(state: HomeState, action: HomeAction): HomeState {
	switch (action.type) {
		case 'toggle-focus': {
			return {...state, focus: state.focus === 'guides' ? 'runs' : 'guides'};
		}

		case 'confirm': {
			return {...state, confirming: action.run};
		}

		case 'cancel': {
			return {focus: state.focus};
		}
	}
}

export interface UseHomeStateResult {
	/** Focus and the open resume question. */
	readonly state: HomeState;
	/** Tab: the other list takes the keyboard. */
	readonly toggleFocus: () => void;
	/** A saved run was chosen: ask whether to resume it. */
	readonly confirm: (run: RunSummary) => void;
	/** The resume question was answered no. */
	readonly cancel: () => void;
}

/** The lists start on the guides, or on the saved runs when there are no guides but runs to resume. */
export function useHomeState(initialFocus: HomeFocus): UseHomeStateResult {
	const [state, dispatch] = useReducer(homeReducer, {focus: initialFocus});
	const toggleFocus = useCallback(() => {
		dispatch({type: 'toggle-focus'});
	}, []);
	const confirm = useCallback((run: RunSummary) => {
		dispatch({type: 'confirm', run});
	}, []);
	const cancel = useCallback(() => {
		dispatch({type: 'cancel'});
	}, []);
	return {state, toggleFocus, confirm, cancel};
}
