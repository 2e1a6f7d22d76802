// Turns a channel's events into few React updates. The engine's event bus already batches live output (one event
// per step and target a flush); this stays because Ink renders in legacy mode, where every dispatch re-renders at
// once and `maxFps` only spaces the writes, and because a channel need not come from the bus (tests, replays).
// So output waits for the next frame, at most `flushMs`; any other event flushes on the next microtask, with the
// output before it, so a prompt shows at once.
import type {RunChannel} from '../../engine/channel.js';
import type {EngineEvent} from '../../engine/types.js';
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
	/** Longest time output waits before it is shown; 50 ms is one frame at the TUI's 20 fps. */
	readonly flushMs?: number;
	/** Lines kept per batch; older lines only reach the transcript. */
	readonly keep?: number;
}

export const defaultFlushMs = 50;
export const defaultKeep = 200;

/** Output waiting for the flush: raw lines, cleaned only when shown. */
interface PendingOutput {
	readonly type: 'output-batch';
	readonly stepId: string;
	readonly target: string;
	lines: string[];
	received: number;
}

type Pending = Exclude<RunInput, OutputBatch> | PendingOutput;

/**
 * Subscribes to `channel` and calls `onBatch` with events in their original order, consecutive output of one step
 * merged into one batch. Returns the function that stops it.
 */
export function startEventPump(
	channel: Pick<RunChannel, 'subscribe'>,
	onBatch: (batch: readonly RunInput[]) => void,
	options: EventPumpOptions = {},
): () => void {
	const flushMs = options.flushMs ?? defaultFlushMs;
	const keep = options.keep ?? defaultKeep;
	let queue: Pending[] = [];
	let timer: NodeJS.Timeout | undefined;
	let microtaskQueued = false;
	let stopped = false;

	const flush = () => {
		clearTimeout(timer);
		timer = undefined;
		microtaskQueued = false;
		if (stopped || queue.length === 0) {
			return;
		}

		const batch = queue.map(
			(pending): RunInput => (pending.type === 'output-batch' ? {...pending, lines: pending.lines.slice(-keep).map(line => cleanLine(line))} : pending),
		);
		queue = [];
		onBatch(batch);
	};

	const addOutput = ({stepId, target, lines}: Extract<EngineEvent, {readonly type: 'output'}>) => {
		const last = queue.at(-1);
		let pending = last?.type === 'output-batch' && last.stepId === stepId && last.target === target ? last : undefined;
		if (pending === undefined) {
			pending = {type: 'output-batch', stepId, target, lines: [], received: 0};
			queue.push(pending);
		}

		for (const line of lines) {
			const parts = line.split('\n');
			pending.lines.push(...parts);
			pending.received += parts.length;
		}

		// Amortized trim: a batch holds at most 2 × keep lines, whatever the volume.
		if (pending.lines.length > keep * 2) {
			pending.lines = pending.lines.slice(-keep);
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

		queue.push(event);
		if (!microtaskQueued) {
			microtaskQueued = true;
			queueMicrotask(flush);
		}
	});

	return () => {
		stopped = true;
		clearTimeout(timer);
		queue = [];
		unsubscribe();
	};
}
