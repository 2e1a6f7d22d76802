// A RunChannel driven by the test: events go in with `emit`, decisions and interrupts are recorded.
import type {RunChannel} from '../../source/engine/channel.js';
import type {EngineEvent, PromptChoice, RunStatus} from '../../source/engine/types.js';

export class FakeChannel implements RunChannel {
	readonly transcriptPath: string;
	readonly checkCommand = 'waymark check uwsgi-node --target ssh:node1';
	readonly done: Promise<RunStatus>;
	readonly decisions: Array<{readonly promptId: string; readonly choice: PromptChoice}> = [];
	interrupts = 0;
	/** How many listeners are subscribed now. */
	get listenerCount(): number {
		return this.listeners.size;
	}

	private readonly listeners = new Set<(event: EngineEvent) => void>();
	private resolveDone!: (status: RunStatus) => void;

	constructor(transcriptPath = '/home/op/.config/waymark/transcripts/r1.ndjson') {
		this.transcriptPath = transcriptPath;
		this.done = new Promise(resolve => {
			this.resolveDone = resolve;
		});
	}

	subscribe(listener: (event: EngineEvent) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	decide(promptId: string, choice: PromptChoice): void {
		this.decisions.push({promptId, choice});
	}

	interrupt(): void {
		this.interrupts++;
	}

	/** Sends events to every listener, in order, synchronously. */
	emit(...events: readonly EngineEvent[]): void {
		for (const event of events) {
			for (const listener of this.listeners) {
				listener(event);
			}

			if (event.type === 'run-end') {
				this.resolveDone(event.status);
			}
		}
	}
}
