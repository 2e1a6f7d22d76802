// The one way events leave the engine: redacted once, written to the run's sink, then sent to every listener.
// Live output is batched so a chatty command costs a few events a second, never one per line, and never one huge one.
import {redactDeep} from './redact.js';
import type {EngineEvent} from './types.js';

/** Where every event of a run is kept (the transcript); it receives events already redacted. */
export interface EventSink {
	write(event: EngineEvent): void;
}

export interface EventBusOptions {
	readonly sink?: EventSink;
	/** Every secret value of the run; read at each emit, since keys are made after the bus exists. */
	readonly secrets: () => readonly string[];
	/** Milliseconds between output flushes. Default 100. */
	readonly flushMs?: number;
	/** Lines one output event may carry at most; a full batch goes out at once. Default 1000. */
	readonly maxBatchLines?: number;
}

interface Batch {
	readonly stepId: string;
	readonly target: string;
	readonly lines: string[];
}

export class EventBus {
	private readonly listeners = new Set<(event: EngineEvent) => void>();
	private readonly batches = new Map<string, Batch>();
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly options: EventBusOptions) {}

	subscribe(listener: (event: EngineEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	emit(raw: EngineEvent): void {
		if (raw.type !== 'output') {
			// Output that came first is shown first.
			this.flush();
		}

		const event = redactDeep(raw, this.options.secrets());
		this.options.sink?.write(event);
		for (const listener of this.listeners) {
			listener(event);
		}
	}

	/** One line of live output of a step on a target. */
	output(stepId: string, target: string, line: string): void {
		const key = `${stepId}@${target}`;
		const batch = this.batches.get(key) ?? {stepId, target, lines: []};
		batch.lines.push(line);
		this.batches.set(key, batch);
		if (batch.lines.length >= (this.options.maxBatchLines ?? 1000)) {
			this.batches.delete(key);
			this.emit({type: 'output', stepId, target, lines: batch.lines});
			return;
		}

		this.timer ??= setTimeout(() => {
			this.flush();
		}, this.options.flushMs ?? 100);
	}

	flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		const batches = [...this.batches.values()];
		this.batches.clear();
		for (const batch of batches) {
			if (batch.lines.length > 0) {
				this.emit({type: 'output', stepId: batch.stepId, target: batch.target, lines: batch.lines});
			}
		}
	}
}
