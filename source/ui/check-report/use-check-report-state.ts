// The check report's state: which finding is selected, which are marked for fixing, whether passes show.
import {useCallback, useMemo, useReducer} from 'react';
import type {CheckReport} from '../../engine/channel.js';
import {displayOrder, fixSteps, isShown} from './check-findings.js';

export interface CheckReportState {
	readonly report: CheckReport;
	/** Finding indexes in the order shown, grouped by host. */
	readonly order: readonly number[];
	/** Passes and n/a are hidden until `a`. */
	readonly showPasses: boolean;
	/** The selected finding's index; absent when nothing is shown. */
	readonly selected?: number;
	/** Indexes of the findings marked for fixing, in the order marked. */
	readonly marked: readonly number[];
}

export type CheckReportAction = {readonly type: 'move'; readonly by: 1 | -1} | {readonly type: 'toggle-mark'} | {readonly type: 'toggle-passes'};

/** Finding indexes shown now, in order. */
export function shownFindings(state: CheckReportState): number[] {
	return state.order.filter(index => isShown(state.report.findings[index]!, state.showPasses));
}

// After the shown set changes, keep the selection if it is still shown, else take the nearest shown one after it, else before.
function nearestShown(state: CheckReportState): number | undefined {
	const shown = shownFindings(state);
	if (state.selected === undefined || shown.includes(state.selected)) {
		return state.selected ?? shown[0];
	}

	const position = state.order.indexOf(state.selected);
	return shown.find(index => state.order.indexOf(index) > position) ?? shown.at(-1);
}

function withSelected(state: CheckReportState, selected: number | undefined): CheckReportState {
	const {selected: _old, ...rest} = state;
	return selected === undefined ? rest : {...rest, selected};
}

/** Pure: folds the report's actions. */
export function checkReportReducer(state: CheckReportState, action: CheckReportAction): CheckReportState {
	switch (action.type) {
		case 'move': {
			const shown = shownFindings(state);
			const position = state.selected === undefined ? -1 : shown.indexOf(state.selected);
			return withSelected(state, shown[Math.min(shown.length - 1, Math.max(0, position + action.by))]);
		}

		case 'toggle-mark': {
			const {selected} = state;
			if (selected === undefined || state.report.findings[selected]?.fix === undefined) {
				return state;
			}

			const marked = state.marked.includes(selected) ? state.marked.filter(index => index !== selected) : [...state.marked, selected];
			return {...state, marked};
		}

		case 'toggle-passes': {
			const toggled = {...state, showPasses: !state.showPasses};
			return withSelected(toggled, nearestShown(toggled));
		}
	}
}

/** The report as it opens: passes hidden, the first finding shown selected, nothing marked. */
export function initialCheckReportState(report: CheckReport): CheckReportState {
	const state: CheckReportState = {report, order: displayOrder(report), showPasses: false, marked: []};
	return withSelected(state, shownFindings(state)[0]);
}

export interface UseCheckReportStateOptions {
	/** The wizard's step ids in order: the fixing steps are run in this order. */
	readonly stepOrder: readonly string[];
	/** ⏎: run these steps, once each, in wizard order. */
	readonly onFix: (only: readonly string[]) => void;
}

export interface UseCheckReportStateResult {
	/** Selection, marks and whether passes show. */
	readonly state: CheckReportState;
	/** Finding indexes shown now, in order. */
	readonly shown: readonly number[];
	/** What ⏎ would run: the steps of the marked findings, or of the selected one when none is marked. */
	readonly fixes: readonly string[];
	/** ↑: the finding shown before the selected one. */
	readonly selectPrevious: () => void;
	/** ↓: the finding shown after the selected one. */
	readonly selectNext: () => void;
	/** Marks or unmarks the selected finding; findings no step fixes cannot be marked. */
	readonly toggleMark: () => void;
	/** Shows or hides passes and n/a; the selection stays on a finding that is shown. */
	readonly togglePasses: () => void;
	/** Calls `onFix` with `fixes`, when there are any. */
	readonly fix: () => void;
}

/** State and named callbacks of the check report; its keys are wired by `useCheckReportInput`. */
export function useCheckReportState(report: CheckReport, {stepOrder, onFix}: UseCheckReportStateOptions): UseCheckReportStateResult {
	const [state, dispatch] = useReducer(checkReportReducer, report, initialCheckReportState);
	const shown = useMemo(() => shownFindings(state), [state]);
	const fixes = useMemo(() => {
		const chosen = state.marked.length > 0 ? state.marked : state.selected === undefined ? [] : [state.selected];
		return fixSteps(state.report.findings, chosen, stepOrder);
	}, [state, stepOrder]);

	const selectPrevious = useCallback(() => {
		dispatch({type: 'move', by: -1});
	}, []);
	const selectNext = useCallback(() => {
		dispatch({type: 'move', by: 1});
	}, []);
	const toggleMark = useCallback(() => {
		dispatch({type: 'toggle-mark'});
	}, []);
	const togglePasses = useCallback(() => {
		dispatch({type: 'toggle-passes'});
	}, []);
	const fix = useCallback(() => {
		if (fixes.length > 0) {
			onFix(fixes);
		}
	}, [fixes, onFix]);

	return {state, shown, fixes, selectPrevious, selectNext, toggleMark, togglePasses, fix};
}
