// Turns a channel's event stream into few, bounded batches: one React update per tick of events,
// and output at most once per `flushMs`, keeping only the last lines of each step.
import type {EngineEvent} from '../../engine/types.js';
import type {RunChannel} from '../../engine/channel.js';
import {cleanLine} from '../../wording/index.js';

/** Output of one step on one target since the last flush: the last `keep` lines and how many arrived. */
export interface OutputBatch {
	readonly type: 'output-batch';
	readonly stepId: string;
	readonly target: string;
	/** Cleaned lines (ANSI stripped), at most `keep` of them, oldest first. */
	readonly lines: readonly string[];
	/** How many lines arrived, including the ones dropped. */
	readonly received: number;
}

/** What the run state folds: engine events, with `output` events replaced by batches. */
export type RunInput = Exclude<EngineEvent, {readonly type: 'output'}> | OutputBatch;

export interface EventPumpOptions {
	/** Longest time output waits before it is shown; 75 ms ≈ 13 updates a second. */
	readonly flushMs?: number;
	/** Lines kept per step and flush; older lines only reach the transcript. */
	readonly keep?: number;
}

export const defaultFlushMs = 75;
export const defaultKeep = 200;

type Pending = {readonly kind: 'event'; readonly event: RunInput} | {readonly kind: 'output'; readonly steps: Map<string, StepLines>};

interface StepLines {
	readonly stepId: string;
	readonly target: string;
	lines: string[];
	received: number;
}

/**
 * Subscribes to `channel` and calls `onBatch` with events in their original order.
 * Non-output events are delivered on the next microtask (with the output before them);
 * output alone waits for the flush timer. Returns the function that stops it.
 */
export function startEventPump(channel: Pick<RunChannel, 'subscribe'>, onBatch: (batch: readonly RunInput[]) => void, options: EventPumpOptions = {}): () => void {
	const flushMs = options.flushMs ?? defaultFlushMs;
	const keep = options.keep ?? defaultKeep;
	let queue: Pending[] = [];
	let timer: NodeJS.Timeout | undefined;
	let microtaskQueued = false;
	let stopped = false;

	const flush = () => {
		if (timer !== undefined) {
			clearTimeout(timer);
			timer = undefined;
		}

		microtaskQueued = false;
		if (stopped || queue.length === 0) {
			return;
		}

		const batch: RunInput[] = [];
		for (const pending of queue) {
			if (pending.kind === 'event') {
				batch.push(pending.event);
				continue;
			}

			for (const step of pending.steps.values()) {
				batch.push({type: 'output-batch', stepId: step.stepId, target: step.target, lines: step.lines.slice(-keep).map(line => cleanLine(line)), received: step.received});
			}
		}

		queue = [];
		onBatch(batch);
	};

	const addOutput = (event: Extract<EngineEvent, {readonly type: 'output'}>) => {
		let last = queue.at(-1);
		if (last?.kind !== 'output') {
			last = {kind: 'output', steps: new Map()};
			queue.push(last);
		}

		const key = `${event.stepId}\u0000${event.target}`;
		let step = last.steps.get(key);
		if (step === undefined) {
			step = {stepId: event.stepId, target: event.target, lines: [], received: 0};
			last.steps.set(key, step);
		}

		for (const line of event.lines) {
			const parts = line.includes('\n') ? line.split('\n') : [line];
			step.lines.push(...parts);
			step.received += parts.length;
		}

		// Amortized trim: memory stays within 2 × keep lines per step, whatever the volume.
		if (step.lines.length > keep * 2) {
			step.lines = step.lines.slice(-keep);
		}

		timer ??= setTimeout(flush, flushMs);
	};

	const unsubscribe = channel.subscribe(event => {
		if (stopped) {
			return;
		}

		if (event.type === 'output') {
			addOutput(event);
			return;
		}

		queue.push({kind: 'event', event});
		if (!microtaskQueued) {
			microtaskQueued = true;
			queueMicrotask(flush);
		}
	});

	return () => {
		stopped = true;
		if (timer !== undefined) {
			clearTimeout(timer);
		}

		queue = [];
		unsubscribe();
	};
}
