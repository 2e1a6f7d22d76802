// One interface for every place a step can act: this machine, a host over ssh, or a directory treated as `/`.
import type {FactRequest, Facts, TargetInfo} from './types.js';

export interface RunOptions {
	/** Fed to the command's stdin. */
	readonly input?: string;
	readonly signal?: AbortSignal;
	/** Each complete line of stdout and stderr, as it arrives. */
	readonly onLine?: (line: string) => void;
}

export interface RunResult {
	readonly exitCode: number;
	readonly stdout: string;
	readonly stderr: string;
	/** The connection to the host went away before the command said how it ended. */
	readonly lost?: {readonly reason: string; readonly pid?: number; readonly session?: boolean; readonly identity?: string};
}

/** How a fresh login went, as the target's own client tells it. */
export interface LoginResult {
	readonly ok: boolean;
	/** The server refused the key (not a connection that failed): trying again will not help. */
	readonly refused: boolean;
	/** The client's own reason, e.g. ssh's last line; empty when it worked. */
	readonly reason: string;
}

export interface WriteOptions {
	/** Mode for a new file; an existing file keeps its own owner and mode. */
	readonly mode?: number;
	/** Set the mode even on an existing file (secrets are always 0600). */
	readonly forceMode?: boolean;
	/** Where the original is copied before the first change of a run (kept if it exists already). */
	readonly backupPath?: string;
	/** Run on the candidate before it replaces the original; `{}` is the candidate's path. */
	readonly validateCandidate?: string;
	/** Run once the file is in place; on failure the previous content comes back. */
	readonly validateInPlace?: string;
	readonly signal?: AbortSignal;
}

export interface FileStat {
	readonly mode: number;
	readonly uid: number;
	readonly gid: number;
	readonly size: number;
	readonly isDirectory: boolean;
}

export interface Target {
	readonly info: TargetInfo;
	/** Whether commands that change the running system run here (false for root:DIR: they are deferred). */
	readonly live: boolean;
	/** Runs a POSIX sh script. */
	run(script: string, options?: RunOptions): Promise<RunResult>;
	read(path: string, signal?: AbortSignal): Promise<string | null>;
	write(path: string, content: string, options?: WriteOptions): Promise<void>;
	mkdir(path: string, mode?: number, signal?: AbortSignal): Promise<void>;
	stat(path: string, signal?: AbortSignal): Promise<FileStat | null>;
	/** Reads every requested fact in one round trip. */
	facts(requests: readonly FactRequest[], signal?: AbortSignal): Promise<Facts>;
	/** Opens a brand-new connection (no shared master) and runs `true`: proves the way back in. */
	freshLogin?(signal?: AbortSignal): Promise<LoginResult>;
	close(): Promise<void>;
}

/** A failure a caller can branch on, with the line to type next. */
export class TargetError extends Error {
	constructor(
		message: string,
		readonly remedy: string,
		readonly exitCode?: number,
	) {
		super(message);
		this.name = 'TargetError';
	}
}

/**
 * The connection to a host was lost while a command ran or facts were read. Not a step failure: the run stops as
 * interrupted (resumable), and the command may still be running on the host.
 */
export interface LostDetails {
	/** The command's process id on the host, when it had said so before the connection went. */
	readonly pid?: number;
	/** Whether that process leads its own session (setsid), so its whole process group can be watched. */
	readonly session?: boolean;
	/** Which process that pid was (`BOOT_ID:START`), so it is never mistaken for another after a reboot or pid reuse. */
	readonly identity?: string;
	/** When a lockout change was being tried: the time its rollback on the host restores the previous state by itself. */
	readonly rollbackAt?: Date;
	/** How the operator reaches this host from a shell (`ssh -F CONFIG -p 2222 root@node1`), for printed commands. */
	readonly shellCommand?: string;
}

export class ConnectionLost extends Error {
	readonly pid: number | undefined;
	readonly session: boolean | undefined;
	readonly identity: string | undefined;
	readonly rollbackAt: Date | undefined;
	readonly shellCommand: string | undefined;

	/** The client's own words (ssh's last lines: "Connection closed by remote host", "Broken pipe"), on one line. */
	readonly reason: string;

	constructor(
		readonly target: string,
		reason: string,
		readonly details: LostDetails = {},
	) {
		// ssh ends some lines with \r: no control character may reach the screen.
		const said = oneLine(reason);
		super(`The connection to ${target} was lost: ${said}`);
		this.reason = said;
		this.name = 'ConnectionLost';
		({pid: this.pid, session: this.session, identity: this.identity, rollbackAt: this.rollbackAt, shellCommand: this.shellCommand} = details);
	}
}

/** Text as one printable line: control characters (a stray \r, a newline) become single spaces. */
export function oneLine(text: string): string {
	return text
		.replaceAll(/[\u0000-\u001f\u007f]+/g, ' ')
		.replaceAll(/ {2,}/g, ' ')
		.trim();
}
