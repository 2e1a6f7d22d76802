// Questions to the operator: each prompt event waits for one decision; a stop answers every open one with abort.
import type {PromptChoice} from './types.js';

export class Prompter {
	private readonly pending = new Map<string, (choice: PromptChoice) => void>();
	private counter = 0;

	/** A new prompt id and the promise of its answer. */
	open(): {promptId: string; answer: Promise<PromptChoice>} {
		const promptId = `p${++this.counter}`;
		const answer = new Promise<PromptChoice>(resolve => {
			this.pending.set(promptId, resolve);
		});
		return {promptId, answer};
	}

	decide(promptId: string, choice: PromptChoice): void {
		const resolve = this.pending.get(promptId);
		this.pending.delete(promptId);
		resolve?.(choice);
	}

	abortAll(): void {
		for (const [id, resolve] of this.pending) {
			this.pending.delete(id);
			resolve('abort');
		}
	}
}
