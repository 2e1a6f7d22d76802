// Errors that carry what went wrong and what to type next; callers branch on the class, never on the text.

/** A step could not be carried out; the run is saved and can be resumed. */
export class StepFailure extends Error {
	constructor(
		message: string,
		readonly remedy: string,
	) {
		super(message);
		this.name = 'StepFailure';
	}
}

/** The command line or the answers are wrong; nothing ran. Exit code 2. */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly remedy: string,
	) {
		super(message);
		this.name = 'UsageError';
	}
}

export const exitCodes = {done: 0, failed: 1, usage: 2, interrupted: 3} as const;
