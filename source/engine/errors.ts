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

/** A fresh key-based login failed; callers say what that means at their point (before or after a change). */
export class LoginFailed extends Error {
	constructor(
		readonly target: string,
		/** The client's own reason (ssh's last line). */
		readonly reason: string,
		/** The key was refused, as opposed to a connection that failed. */
		readonly refused: boolean,
	) {
		super(`a fresh key-based login to ${target} failed (${reason})`);
		this.name = 'LoginFailed';
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
