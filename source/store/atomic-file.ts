// Writes that a kill or a full disk cannot tear: a temp file in the same directory, fsync, rename, fsync of the
// directory. Temp names carry the writer's pid, so the next run can tell a dead writer's leftovers from a live one's.
import {randomBytes} from 'node:crypto';
import {accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {StorageError, onStorage} from '../engine/errors.js';
import {pidAlive} from '../pid-alive.js';

const tempMark = '.waymark-tmp-';

/** Makes a private directory (0700) and its parents, with storage errors named. */
export function privateDir(dir: string): void {
	try {
		mkdirSync(dir, {recursive: true, mode: 0o700});
	} catch (error) {
		// A recursive mkdir can report ENOENT for a read-only or forbidden parent: ask that parent what is wrong.
		const code = (error as NodeJS.ErrnoException).code;
		throw new StorageError(dir, 'write', code === 'ENOENT' ? (parentProblem(dir) ?? code) : (code ?? 'EIO'));
	}
}

/** Why the nearest existing parent of `dir` cannot take a new directory, as an error code. */
function parentProblem(dir: string): string | undefined {
	let parent = dirname(dir);
	for (let depth = 0; depth < 64 && !existsSync(parent); depth++) {
		parent = dirname(parent);
	}

	try {
		accessSync(parent, constants.W_OK);
		return undefined;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code;
	}
}

/** Replaces `path` with `data` atomically (mode for a new file); the directory must exist. */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
	const dir = dirname(path);
	const temporary = join(dir, `${tempMark}${process.pid}-${randomBytes(4).toString('hex')}-${basename(path)}`);
	onStorage(path, 'write', () => {
		let fd: number | undefined;
		try {
			fd = openSync(temporary, 'wx', mode);
			writeSync(fd, data);
			fsyncSync(fd);
			closeSync(fd);
			fd = undefined;
			renameSync(temporary, path);
		} catch (error) {
			if (fd !== undefined) {
				closeSync(fd);
			}

			rmSync(temporary, {force: true});
			throw error;
		}

		syncDir(dir);
	});
}

/** Makes the rename itself durable: without it a crash may forget the new name. */
function syncDir(dir: string): void {
	const fd = openSync(dir, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Removes temp files a killed writer left in `dir`; a live writer's (its pid still running) stay. */
export function sweepTemp(dir: string): void {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}

	for (const name of names) {
		const pid = name.startsWith(tempMark) ? Number(name.slice(tempMark.length).split('-')[0]) : Number.NaN;
		if (Number.isInteger(pid) && pid > 0 && !pidAlive(pid)) {
			rmSync(join(dir, name), {force: true});
		}
	}
}
