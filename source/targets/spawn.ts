// Starts a process for a target and streams its lines; the one place targets call execa.
import {execa} from 'execa';
import type {RunOptions, RunResult} from '../engine/target.js';

// Output kept in memory per stream when a caller streams lines: enough for an error message, bounded for 100k-line commands.
const keptLines = 200;

export async function spawnScript(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
	const {onLine} = options;
	const common = {
		input: options.input ?? '',
		reject: false,
		forceKillAfterDelay: 2000,
		stripFinalNewline: false,
		env: {LC_ALL: 'C'},
		// Its own process group, so stopping a step stops the script's children too (a `sleep`, an apt-get).
		detached: true,
	} as const;

	if (!onLine) {
		const result = await killGroupOnAbort(execa(file, args, common), options.signal);
		return {exitCode: exitCodeOf(result), stdout: String(result.stdout), stderr: String(result.stderr)};
	}

	const tails = {stdout: [] as string[], stderr: [] as string[]};
	const keep = (tail: string[]) =>
		function* (line: unknown) {
			const text = String(line);
			tail.push(text);
			if (tail.length > keptLines) {
				tail.shift();
			}

			onLine(text);
			yield* [];
		};

	const result = await killGroupOnAbort(execa(file, args, {...common, stdout: keep(tails.stdout), stderr: keep(tails.stderr), buffer: false}), options.signal);
	return {exitCode: exitCodeOf(result), stdout: tails.stdout.join('\n'), stderr: tails.stderr.join('\n')};
}

async function killGroupOnAbort<T>(subprocess: Promise<T> & {pid?: number}, signal?: AbortSignal): Promise<T & {isCanceled?: boolean}> {
	if (!signal) {
		return subprocess as Promise<T & {isCanceled?: boolean}>;
	}

	let canceled = false;
	const stop = () => {
		canceled = true;
		try {
			process.kill(-(subprocess.pid ?? 0), 'SIGTERM');
		} catch {
			// Already gone.
		}
	};

	if (signal.aborted) {
		stop();
	}

	signal.addEventListener('abort', stop, {once: true});
	try {
		const result = await subprocess;
		return {...result, isCanceled: canceled};
	} finally {
		signal.removeEventListener('abort', stop);
	}
}

function exitCodeOf(result: {exitCode?: number; signal?: string; isCanceled?: boolean}): number {
	if (result.exitCode !== undefined) {
		return result.exitCode;
	}

	// Killed by a signal: report it the way a shell would (128 + n); 130 is the usual interrupt.
	return result.isCanceled ? 130 : 137;
}
