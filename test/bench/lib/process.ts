// Runs a program as a new process and times it to its exit; optionally its peak RSS through /usr/bin/time.
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';

export interface Timed {
	readonly ms: number;
	readonly exitCode: number | null;
	/** Bytes the program wrote to stdout (read through a pipe, as a log collector would). */
	readonly stdoutBytes: number;
	/** The last 4000 characters of stdout and stderr, for an error message. */
	readonly tail: string;
	/** All of stdout and stderr, when asked for (keepOutput). */
	readonly output?: string;
	/** Peak RSS in KiB, when asked for. */
	readonly maxRssKb?: number;
}

export interface TimedOptions {
	readonly env?: Readonly<Record<string, string>>;
	readonly cwd?: string;
	/** Wrap in /usr/bin/time -f %M to learn the peak RSS. */
	readonly rss?: boolean;
	/** Keep all the output, not only its tail (for short outputs). */
	readonly keepOutput?: boolean;
	/** Kill the program after this long. Default 10 minutes. */
	readonly timeoutMs?: number;
}

/** `time` the way GNU time does for a wrapper: the peak RSS of the program it ran. */
export function rssWrapper(argv: readonly string[], file: string): string[] {
	return ['/usr/bin/time', '-f', '%M', '-o', file, ...argv];
}

export function readRss(file: string): number | undefined {
	const text = readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '';
	const value = Number.parseInt(text, 10);
	return Number.isInteger(value) ? value : undefined;
}

export async function timed(argv: readonly string[], options: TimedOptions = {}): Promise<Timed> {
	const dir = options.rss ? mkdtempSync(join(tmpdir(), 'waymark-bench-rss-')) : undefined;
	const rssFile = dir === undefined ? undefined : join(dir, 'rss');
	const [file, ...args] = rssFile === undefined ? argv : rssWrapper(argv, rssFile);
	try {
		const start = performance.now();
		const result = await new Promise<Omit<Timed, 'maxRssKb'>>((resolve, reject) => {
			const child = spawn(file!, args, {cwd: options.cwd, env: {...process.env, ...options.env}, stdio: ['ignore', 'pipe', 'pipe']});
			let bytes = 0;
			let tail = '';
			const all: string[] = [];
			const keep = (chunk: Buffer) => {
				const text = chunk.toString('utf8');
				tail = (tail + text).slice(-4000);
				if (options.keepOutput) all.push(text);
			};
			child.stdout.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				keep(chunk);
			});
			child.stderr.on('data', keep);
			const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
			child.on('error', error => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', code => {
				clearTimeout(timer);
				resolve({ms: performance.now() - start, exitCode: code, stdoutBytes: bytes, tail, ...(options.keepOutput ? {output: all.join('')} : {})});
			});
		});
		return rssFile === undefined ? result : {...result, maxRssKb: readRss(rssFile)};
	} finally {
		if (dir !== undefined) rmSync(dir, {recursive: true, force: true});
	}
}

/** Like timed, but a non-zero exit (other than the ones allowed) is an error with the program's last words. */
export async function timedOk(argv: readonly string[], options: TimedOptions & {readonly allowExit?: readonly number[]} = {}): Promise<Timed> {
	const result = await timed(argv, options);
	if (result.exitCode !== 0 && !(options.allowExit ?? []).includes(result.exitCode ?? -1)) {
		throw new Error(`${argv.join(' ')}: exit ${result.exitCode}\n${result.tail}`);
	}

	return result;
}

/** Whether a program is on this machine's PATH. */
export function hasProgram(name: string): boolean {
	try {
		execFileSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}
