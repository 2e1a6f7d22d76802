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

/** Waymark's own storage (WAYMARK_HOME, the vault) could not be read or written. Exit code 1; nothing is lost. */
export class StorageError extends Error {
	readonly remedy: string;

	constructor(
		readonly path: string,
		readonly operation: 'read' | 'write',
		/** The system's error code: EACCES, EROFS, ENOSPC, EISDIR… */
		readonly code: string,
	) {
		super(`Cannot ${operation} ${path}: ${storageReason(code)}`);
		this.name = 'StorageError';
		this.remedy = storageRemedy(path, code);
	}
}

function storageReason(code: string): string {
	const reasons: Record<string, string> = {
		EACCES: 'permission denied',
		EPERM: 'permission denied',
		EROFS: 'the filesystem is read-only',
		ENOSPC: 'no space left on the device',
		EDQUOT: 'the disk quota is used up',
		EISDIR: 'it is a directory, not a file',
		ENOTDIR: 'a part of the path is a file, not a directory',
	};
	return reasons[code] ?? `the system said ${code}`;
}

function storageRemedy(path: string, code: string): string {
	const elsewhere = 'or point WAYMARK_HOME at a directory you can write (export WAYMARK_HOME=$HOME/.waymark) and run the same command again.';
	switch (code) {
		case 'EACCES':
		case 'EPERM': {
			return `Give yourself write access (chmod u+rwx on the directory, or chown it to you), ${elsewhere}`;
		}

		case 'ENOSPC':
		case 'EDQUOT': {
			return `Free some space on the filesystem that holds ${path} (df -h shows it), then run \`waymark resume\`.`;
		}

		case 'EISDIR':
		case 'ENOTDIR': {
			return `Move ${path} aside (mv ${path} ${path}.bad), then run the same command again.`;
		}

		default: {
			return `Check the filesystem that holds ${path}, ${elsewhere}`;
		}
	}
}

/** Wraps a storage operation: a system error becomes a StorageError naming the path; anything else passes on. */
export function onStorage<T>(path: string, operation: 'read' | 'write', work: () => T): T {
	try {
		return work();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOENT') {
			throw new StorageError((error as NodeJS.ErrnoException).path ?? path, operation, code);
		}

		throw error;
	}
}
