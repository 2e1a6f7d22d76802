// The state of one run as the screen shows it, folded from the channel's events: data only, the views word it.
import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {RunChannel} from '../../engine/channel.js';
import {finishedStatuses, unitKey} from '../../engine/run-record.js';
import type {Check, Counts, NotDone, PromptChoice, PromptKind, Risk, RunStatus, ShownPlan, StepStatus} from '../../engine/types.js';
import {startEventPump, type EventPumpOptions, type RunInput} from './event-pump.js';

/** Where the run is, from the screen's point of view: `stopping` once the operator asked to quit. */
export type RunViewStatus = 'waiting' | 'running' | 'stopping' | Exclude<RunStatus, 'running'>;

/** A line that scrolls into `<Static>` and never changes again; `key` is its position. */
export type FinishedItem =
	| {
			readonly kind: 'header';
			readonly key: string;
			readonly runId: string;
			readonly wizard: string;
			readonly resumed: boolean;
			readonly total: number;
			readonly doneBefore: number;
	  }
	| {readonly kind: 'facts'; readonly key: string; readonly target: string; readonly count: number; readonly ms: number}
	/** In a dry run, what a step would do: its plan and diffs stay on screen. */
	| {readonly kind: 'plan'; readonly key: string; readonly stepId: string; readonly target: string; readonly plan: ShownPlan}
	| {readonly kind: 'platform'; readonly key: string; readonly target: string; readonly platform: Readonly<Record<string, string>>}
	| {readonly kind: 'difference'; readonly key: string; readonly target: string; readonly difference: string}
	| {readonly kind: 'drift'; readonly key: string; readonly stepId: string; readonly target: string; readonly title: string; readonly summary: string}
	| {
			readonly kind: 'step';
			readonly key: string;
			readonly stepId: string;
			readonly target: string;
			readonly title: string;
			readonly status: StepStatus;
			readonly message: string;
	  }
	/** A check of the step just finished that warned or failed. */
	| {readonly kind: 'check'; readonly key: string; readonly stepId: string; readonly target: string; readonly check: Check}
	| {readonly kind: 'remedy'; readonly key: string; readonly stepId: string; readonly target: string; readonly remedy: string};

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
	readonly kind: PromptKind;
	readonly stepId: string;
	readonly target: string;
	readonly title: string;
	readonly risk?: Risk;
	/** For `orphan`: the process still running on the host. */
	readonly pid?: number;
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
	/** Which units are finished (ok, changed, skipped, deferred): a failed step retried counts once, when it ends. */
	readonly finishedKeys: ReadonlySet<string>;
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
	/** A dry run: plans are shown, nothing changes. */
	readonly dryRun: boolean;
	/** Set by `run-end` when the connection to a host was lost: what happened and what to do. */
	readonly lost?: {readonly message: string; readonly remedy: string};
	/** In a dry run, the steps that would change something, as `title on target`. */
	readonly wouldChange: readonly string[];
	readonly showLog: boolean;
	readonly showDiff: boolean;
}

/** At most this many output lines are kept in memory; the transcript has the rest. */
export const outputKeep = 200;

/** Counts of zero, to start from. */
export function emptyCounts(): Counts {
	return {ok: 0, changed: 0, failed: 0, skipped: 0, deferred: 0};
}

export const initialRunState: RunState = {
	status: 'waiting',
	total: 0,
	finished: 0,
	finishedKeys: new Set<string>(),
	items: [],
	notDone: [],
	dryRun: false,
	wouldChange: [],
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

/** The finished count after a step ended: a failure is not finished (it is retried, or the run stops). */
function finishedAfter(state: RunState, key: string, status: StepStatus): Pick<RunState, 'finished' | 'finishedKeys'> {
	if (!finishedStatuses.has(status) || state.finishedKeys.has(key)) {
		return {finished: state.finished, finishedKeys: state.finishedKeys};
	}

	const finishedKeys = new Set(state.finishedKeys).add(key);
	return {finished: finishedKeys.size, finishedKeys};
}

function titleOf(state: RunState, stepId: string, target: string): string {
	const key = unitKey(stepId, target);
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
	const key = unitKey(stepId, target);
	return {...state, live: state.live.map(step => (step.key === key ? update(step) : step))};
}

function applyInput(state: RunState, input: RunInput): RunState {
	switch (input.type) {
		case 'run-start': {
			const before = input.steps.filter(step => finishedStatuses.has(step.status)).map(step => unitKey(step.stepId, step.target));
			const doneBefore = before.length;
			return withItems(
				{
					...state,
					runId: input.runId,
					wizard: input.wizard,
					total: input.steps.length,
					finished: doneBefore,
					finishedKeys: new Set(before),
					dryRun: input.dryRun === true,
					status: state.status === 'stopping' ? 'stopping' : 'running',
				},
				{kind: 'header', runId: input.runId, wizard: input.wizard, resumed: input.resumed, total: input.steps.length, doneBefore},
			);
		}

		case 'facts': {
			return withItems(state, {kind: 'facts', target: input.target, count: input.count, ms: input.ms});
		}

		case 'preflight': {
			return withItems(
				state,
				{kind: 'platform', target: input.target, platform: input.platform},
				...input.differences.map((difference): NewItem => ({kind: 'difference', target: input.target, difference})),
			);
		}

		case 'drift': {
			return withItems(state, {
				kind: 'drift',
				stepId: input.stepId,
				target: input.target,
				title: titleOf(state, input.stepId, input.target),
				summary: input.summary,
			});
		}

		case 'step-start': {
			const step: LiveStep = {
				key: unitKey(input.stepId, input.target),
				stepId: input.stepId,
				target: input.target,
				title: input.title,
				why: input.why,
				checks: [],
			};
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
			const key = unitKey(input.stepId, input.target);
			const live = state.live.find(step => step.key === key);
			const title = titleOf(state, input.stepId, input.target);
			const {stepId, target} = input;
			const notes: NewItem[] = (live?.checks ?? [])
				.filter(check => check.status === 'warn' || check.status === 'fail')
				.map((check): NewItem => ({kind: 'check', stepId, target, check}));
			if (input.remedy !== undefined && input.remedy !== '') {
				notes.push({kind: 'remedy', stepId, target, remedy: input.remedy});
			}

			// A dry run keeps each plan on screen: that is what it is for.
			const shownPlan = state.dryRun && live?.plan !== undefined && live.plan.items.length > 0 ? live.plan : undefined;
			if (shownPlan) {
				notes.unshift({kind: 'plan', stepId, target, plan: shownPlan});
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
					wouldChange: shownPlan ? [...state.wouldChange, `${title} on ${target}`] : state.wouldChange,
					...finishedAfter(state, key, input.status),
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
				...(input.pid === undefined ? {} : {pid: input.pid}),
			};
			return {...state, prompts: [...state.prompts.filter(pending => pending.promptId !== input.promptId), prompt]};
		}

		case 'run-end': {
			return {
				...state,
				runId: input.runId,
				status: input.status === 'running' ? state.status : input.status,
				endStatus: input.status,
				counts: input.counts,
				notDone: input.notDone,
				...(input.lost ? {lost: {message: input.lost.message, remedy: input.lost.remedy}} : {}),
				live: [],
				prompts: [],
			};
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
	/** The run as folded so far. */
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
