// The lab cache: images and apt repositories built once per key, atomically (built in a temp dir, renamed into
// place) and under an flock, so two test processes never build the same thing and never see half of it.
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {closeSync, openSync} from 'node:fs';
import {lstat, mkdir, readdir, rename, rm} from 'node:fs/promises';
import {join} from 'node:path';

/** Where images and repositories live; WAYMARK_LAB_CACHE overrides. */
export function cacheRoot(): string {
	return process.env['WAYMARK_LAB_CACHE'] ?? '/var/cache/waymark-lab';
}

/** A short stable hash of everything a build depends on. */
export function cacheKey(...parts: readonly unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

/**
 * Hold an exclusive flock on `file` while `run` runs. flock(1) takes the lock on a descriptor it inherits from
 * this process, so the lock stays with this process after flock exits, and the kernel drops it when the process
 * dies: no stale lock to detect. Waits at most `waitMs` (0: fails at once when the lock is held).
 */
export async function withFileLock<T>(file: string, waitMs: number, run: () => Promise<T>): Promise<T> {
	const fd = openSync(file, 'a', 0o644);
	try {
		const seconds = String(Math.max(1, Math.ceil(waitMs / 1000)));
		const wait = waitMs === 0 ? ['--nonblock'] : ['--wait', seconds];
		const code = await new Promise<number>(resolve => {
			const child = spawn('flock', ['--exclusive', ...wait, '3'], {stdio: ['ignore', 'ignore', 'inherit', fd]});
			child.on('error', () => resolve(-1));
			child.on('exit', status => resolve(status ?? -1));
		});
		if (code !== 0) throw new Error(`could not lock ${file} within ${seconds} s (flock exit ${code}); another build holds it`);
		return await run();
	} finally {
		closeSync(fd);
	}
}

const inProcess = new Map<string, Promise<string>>();

/**
 * The cached directory `<root>/<kind>/<key>`, built by `build(tmp)` when missing. `build` fills `tmp` (on the same
 * file system, created empty with mode 0755); it is renamed into place only when build resolves.
 */
export async function cachedDir(kind: string, key: string, options: {readonly waitMs: number}, build: (tmp: string) => Promise<void>): Promise<string> {
	const id = `${kind}/${key}`;
	let pending = inProcess.get(id);
	if (pending === undefined) {
		pending = buildUnderLock(kind, key, options.waitMs, build);
		// A failed build may be retried by a later caller.
		pending.catch(() => inProcess.delete(id));
		inProcess.set(id, pending);
	}

	return pending;
}

let swept = false;

// Temp dirs of builds whose builder died (a key no one builds any more stays there otherwise): free lock, remove.
async function sweepTemp(root: string): Promise<void> {
	if (swept) return;
	swept = true;
	for (const name of await readdir(join(root, 'tmp')).catch(() => [])) {
		await withFileLock(join(root, 'locks', `${name}.lock`), 0, async () => rm(join(root, 'tmp', name), {recursive: true, force: true})).catch(() => undefined);
	}
}

async function buildUnderLock(kind: string, key: string, waitMs: number, build: (tmp: string) => Promise<void>): Promise<string> {
	const root = cacheRoot();
	const final = join(root, kind, key);
	await sweepTemp(root);
	if (await exists(final)) return final;
	await Promise.all([
		mkdir(join(root, kind), {recursive: true, mode: 0o755}),
		mkdir(join(root, 'locks'), {recursive: true}),
		mkdir(join(root, 'tmp'), {recursive: true}),
	]);
	return withFileLock(join(root, 'locks', `${kind}-${key}.lock`), waitMs, async () => {
		if (await exists(final)) return final;
		// Holding the lock, a temp dir of this key can only be left over from a builder that died.
		const tmp = join(root, 'tmp', `${kind}-${key}`); // named as its lock, for sweepTemp
		await rm(tmp, {recursive: true, force: true});
		await mkdir(tmp, {mode: 0o755});
		try {
			await build(tmp);
			await rename(tmp, final);
		} catch (error) {
			await rm(tmp, {recursive: true, force: true}).catch(() => undefined);
			throw error;
		}

		return final;
	});
}
