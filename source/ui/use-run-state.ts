// The state of one run as the screen shows it, folded from the channel's events.
import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {RunChannel} from '../engine/channel.js';
import type {Check, Counts, NotDone, PromptChoice, Risk, RunStatus, ShownPlan, StepStatus} from '../engine/types.js';
import {startEventPump, type EventPumpOptions, type RunInput} from './event-pump.js';
import {emptyCounts} from './format.js';

/** Where the run is, from the screen's point of view: `stopping` once the operator asked to quit. */
export type RunViewStatus = 'waiting' | 'running' | 'stopping' | Exclude<RunStatus, 'running'>;

/** A line that scrolls into `<Static>` and never changes again. */
export type FinishedItem =
	| {readonly kind: 'header'; readonly key: string; readonly runId: string; readonly wizard: string; readonly resumed: boolean; readonly total: number; readonly doneBefore: number}
	| {readonly kind: 'step'; readonly key: string; readonly stepId: string; readonly target: string; readonly title: string; readonly status: StepStatus; readonly message: string}
	| {readonly kind: 'note'; readonly key: string; readonly tone: NoteTone; readonly text: string};

/** How a note line is colored: `detail` is dim. */
export type NoteTone = 'detail' | 'info' | 'warn' | 'error';

/** A step that started and has not ended. */
export interface LiveStep {
	readonly key: string;
	readonly stepId: string;
	readonly target: string;
	readonly title: string;
	readonly why: string;
	readonly plan?: ShownPlan;
	readonly checks: readonly Check[];
}

/** A question the engine waits on. */
export interface PendingPrompt {
	readonly promptId: string;
	readonly kind: 'confirm' | 'failed';
	readonly stepId: string;
	readonly target: string;
	readonly title: string;
	readonly risk?: Risk;
	readonly choices: readonly PromptChoice[];
}

/** The last lines of output, bounded, and how many lines the run printed in all. */
export interface OutputTail {
	readonly lines: readonly string[];
	readonly received: number;
}

export interface RunState {
	readonly runId?: string;
	readonly wizard?: string;
	readonly status: RunViewStatus;
	/** Steps × targets in the run. */
	readonly total: number;
	/** Finished steps, including those finished before a resume. */
	readonly finished: number;
	readonly items: readonly FinishedItem[];
	readonly live: readonly LiveStep[];
	/** Oldest first; the screen answers the first. */
	readonly prompts: readonly PendingPrompt[];
	readonly output: OutputTail;
	readonly counts: Counts;
	/** Set by `run-end`. */
	readonly endStatus?: RunStatus;
	/** Set by `run-end`: steps left deferred or skipped, and why. */
	readonly notDone: readonly NotDone[];
	readonly showLog: boolean;
	readonly showDiff: boolean;
}

/** At most this many output lines are kept in memory; the transcript has the rest. */
export const outputKeep = 200;

export const initialRunState: RunState = {
	status: 'waiting',
	total: 0,
	finished: 0,
	items: [],
	notDone: [],
	live: [],
	prompts: [],
	output: {lines: [], received: 0},
	counts: emptyCounts(),
	showLog: false,
	showDiff: false,
};

export type RunAction =
	| {readonly type: 'receive'; readonly inputs: readonly RunInput[]}
	| {readonly type: 'answered'; readonly promptId: string}
	| {readonly type: 'stop'}
	| {readonly type: 'toggle-log'}
	| {readonly type: 'toggle-diff'};

const terminal = new Set<StepStatus>(['ok', 'changed', 'failed', 'skipped', 'deferred']);
const stepKey = (stepId: string, target: string) => `${stepId}@${target}`;

function titleOf(state: RunState, stepId: string, target: string): string {
	const key = stepKey(stepId, target);
	const live = state.live.find(step => step.key === key);
	if (live) {
		return live.title;
	}

	for (let index = state.items.length - 1; index >= 0; index--) {
		const item = state.items[index]!;
		if (item.kind === 'step' && item.stepId === stepId && item.target === target) {
			return item.title;
		}
	}

	return stepId;
}

type NewItem = FinishedItem extends infer Item ? (Item extends FinishedItem ? Omit<Item, 'key'> : never) : never;

function withItems(state: RunState, ...added: readonly NewItem[]): RunState {
	// Keys are positions: <Static> only appends, so a position never changes meaning.
	const items = [...state.items, ...added.map((item, index): FinishedItem => ({...item, key: `item-${state.items.length + index}`}))];
	return {...state, items};
}

function updateLive(state: RunState, stepId: string, target: string, update: (step: LiveStep) => LiveStep): RunState {
	const key = stepKey(stepId, target);
	return {...state, live: state.live.map(step => (step.key === key ? update(step) : step))};
}

function applyInput(state: RunState, input: RunInput): RunState {
	switch (input.type) {
		case 'run-start': {
			const doneBefore = input.steps.filter(step => terminal.has(step.status)).length;
			return withItems(
				{...state, runId: input.runId, wizard: input.wizard, total: input.steps.length, finished: doneBefore, status: state.status === 'stopping' ? 'stopping' : 'running'},
				{kind: 'header', runId: input.runId, wizard: input.wizard, resumed: input.resumed, total: input.steps.length, doneBefore},
			);
		}

		case 'facts': {
			return withItems(state, {kind: 'note', tone: 'detail', text: `read ${input.count} facts from ${input.target} in ${input.ms} ms`});
		}

		case 'preflight': {
			const {distribution, kernel, init, firewall} = input.platform;
			return withItems(
				state,
				{kind: 'note', tone: 'detail', text: `${input.target}: ${distribution}, kernel ${kernel}, ${init}, firewall ${firewall}`},
				...input.differences.map((text): NewItem => ({kind: 'note', tone: 'info', text: `  differs from the guide: ${text}`})),
			);
		}

		case 'drift': {
			return withItems(state, {kind: 'note', tone: 'warn', text: `drift: ${titleOf(state, input.stepId, input.target)} on ${input.target}: ${input.summary}`});
		}

		case 'step-start': {
			const step: LiveStep = {key: stepKey(input.stepId, input.target), stepId: input.stepId, target: input.target, title: input.title, why: input.why, checks: []};
			const others = state.live.filter(live => live.key !== step.key);
			// A new step alone on screen starts with empty output; in parallel runs the tail is shared.
			const output = others.length === 0 ? {lines: [], received: 0} : state.output;
			return {...state, live: [...others, step], output};
		}

		case 'plan': {
			return updateLive(state, input.stepId, input.target, step => ({...step, plan: input.plan}));
		}

		case 'output-batch': {
			const prefix = state.live.length > 1 ? `${input.target}: ` : '';
			const added = prefix === '' ? input.lines : input.lines.map(line => prefix + line);
			const lines = [...state.output.lines, ...added].slice(-outputKeep);
			return {...state, output: {lines, received: state.output.received + input.received}};
		}

		case 'check': {
			return updateLive(state, input.stepId, input.target, step => ({...step, checks: [...step.checks, input.check]}));
		}

		case 'step-end': {
			const key = stepKey(input.stepId, input.target);
			const live = state.live.find(step => step.key === key);
			const title = titleOf(state, input.stepId, input.target);
			const notes: NewItem[] = [];
			for (const check of live?.checks ?? []) {
				if (check.status === 'warn' || check.status === 'fail') {
					notes.push({kind: 'note', tone: check.status === 'fail' ? 'error' : 'warn', text: `  ${check.status}: ${check.title}: ${check.evidence}`});
				}
			}

			if (input.remedy !== undefined && input.remedy !== '') {
				notes.push({kind: 'note', tone: 'info', text: `  → ${input.remedy}`});
			}

			const counts = {...state.counts};
			if (input.status in counts) {
				counts[input.status as keyof Counts]++;
			}

			return withItems(
				{
					...state,
					live: state.live.filter(step => step.key !== key),
					counts,
					finished: terminal.has(input.status) ? state.finished + 1 : state.finished,
				},
				{kind: 'step', stepId: input.stepId, target: input.target, title, status: input.status, message: input.message},
				...notes,
			);
		}

		case 'prompt': {
			const prompt: PendingPrompt = {
				promptId: input.promptId,
				kind: input.kind,
				stepId: input.stepId,
				target: input.target,
				title: titleOf(state, input.stepId, input.target),
				choices: input.choices,
				...(input.risk === undefined ? {} : {risk: input.risk}),
			};
			return {...state, prompts: [...state.prompts.filter(pending => pending.promptId !== input.promptId), prompt]};
		}

		case 'run-end': {
			return {...state, runId: input.runId, status: input.status === 'running' ? state.status : input.status, endStatus: input.status, counts: input.counts, notDone: input.notDone, live: [], prompts: []};
		}
	}
}

/** Folds events and the operator's actions into the run state. Pure. */
export function runReducer(state: RunState, action: RunAction): RunState {
	switch (action.type) {
		case 'receive': {
			let next = state;
			for (const input of action.inputs) {
				// Nothing after run-end belongs to this run's screen.
				if (next.endStatus !== undefined) {
					break;
				}

				next = applyInput(next, input);
			}

			return next;
		}

		case 'answered': {
			return {...state, prompts: state.prompts.filter(prompt => prompt.promptId !== action.promptId)};
		}

		case 'stop': {
			return state.status === 'waiting' || state.status === 'running' ? {...state, status: 'stopping'} : state;
		}

		case 'toggle-log': {
			return {...state, showLog: !state.showLog};
		}

		case 'toggle-diff': {
			return {...state, showDiff: !state.showDiff};
		}
	}
}

export interface UseRunStateResult {
	readonly state: RunState;
	/** Answers the first pending prompt; ignored when that prompt does not offer `choice`. */
	readonly answer: (choice: PromptChoice) => void;
	/** Asks the engine to stop at the next safe point (the run stays resumable); safe to call twice. */
	readonly stop: () => void;
	/** Shows or hides the larger output view. */
	readonly toggleLog: () => void;
	/** Shows or hides full diffs and scripts. */
	readonly toggleDiff: () => void;
}

/** Subscribes to `channel` for as long as the component is mounted; output reaches state in batches. */
export function useRunState(channel: RunChannel, options?: EventPumpOptions): UseRunStateResult {
	const [state, dispatch] = useReducer(runReducer, initialRunState);
	// Callbacks read the latest state without being recreated on every batch of output.
	const stateRef = useRef(state);
	stateRef.current = state;
	// Keys can arrive faster than renders: remember what was already sent to the engine.
	const sent = useRef({answered: new Set<string>(), stopped: false});
	const flushMs = options?.flushMs;
	const keep = options?.keep;

	useEffect(
		() =>
			startEventPump(
				channel,
				inputs => {
					dispatch({type: 'receive', inputs});
				},
				{...(flushMs === undefined ? {} : {flushMs}), keep: keep ?? outputKeep},
			),
		[channel, flushMs, keep],
	);

	const answer = useCallback(
		(choice: PromptChoice) => {
			const prompt = stateRef.current.prompts[0];
			if (prompt === undefined || !prompt.choices.includes(choice) || sent.current.stopped || sent.current.answered.has(prompt.promptId)) {
				return;
			}

			sent.current.answered.add(prompt.promptId);
			dispatch({type: 'answered', promptId: prompt.promptId});
			channel.decide(prompt.promptId, choice);
		},
		[channel],
	);

	const stop = useCallback(() => {
		const {status} = stateRef.current;
		if ((status !== 'waiting' && status !== 'running') || sent.current.stopped) {
			return;
		}

		sent.current.stopped = true;
		dispatch({type: 'stop'});
		channel.interrupt();
	}, [channel]);

	const toggleLog = useCallback(() => {
		dispatch({type: 'toggle-log'});
	}, []);

	const toggleDiff = useCallback(() => {
		dispatch({type: 'toggle-diff'});
	}, []);

	return {state, answer, stop, toggleLog, toggleDiff};
}
