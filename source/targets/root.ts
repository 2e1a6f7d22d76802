// A directory treated as `/` (an image being prepared, a mounted disk): files are real, commands are deferred.
import {
	chmodSync,
	chownSync,
	closeSync,
	copyFileSync,
	existsSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeSync,
} from 'node:fs';
import {dirname, join, normalize} from 'node:path';
import {randomBytes} from 'node:crypto';
import type {FactRequest, Facts, Fact, TargetInfo} from '../engine/types.js';
import {TargetError, type FileStat, type RunResult, type Target, type WriteOptions} from '../engine/target.js';
import {pidAlive} from '../pid-alive.js';

/** Temp files of a write in progress: `.waymark.PID.RANDOM`, next to the file they become. */
const tempPrefix = '.waymark.';

/** Removes what a killed run's writes left in `dir`: temp files whose writer is gone (or that carry no pid at all). */
function sweepTemp(dir: string): void {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}

	for (const name of names.filter(each => each.startsWith(tempPrefix))) {
		const pid = Number(name.slice(tempPrefix.length).split('.')[0]);
		if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && !pidAlive(pid))) {
			rmSync(join(dir, name), {force: true});
		}
	}
}

export class RootTarget implements Target {
	readonly live = false;
	readonly info: TargetInfo;

	constructor(private readonly dir: string) {
		this.info = {kind: 'root', label: `root:${dir}`};
	}

	/** Maps a path on the host-to-be to a path under DIR; refuses anything that climbs out. */
	private inside(path: string): string {
		const clean = normalize(`/${path}`);
		if (clean.split('/').includes('..')) {
			throw new TargetError(`${path}: leaves ${this.dir}`, 'Use an absolute path without "..".');
		}

		return join(this.dir, clean);
	}

	async run(): Promise<RunResult> {
		throw new TargetError(
			`${this.info.label} is offline: commands are not run here`,
			'Run the same wizard against the live host later to carry out deferred commands.',
		);
	}

	async read(path: string): Promise<string | null> {
		try {
			return readFileSync(this.inside(path), 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return null;
			}

			throw error;
		}
	}

	async write(path: string, content: string, options: WriteOptions = {}): Promise<void> {
		const file = this.inside(path);
		mkdirSync(dirname(file), {recursive: true, mode: 0o755});
		const old = existsSync(file) ? statSync(file) : undefined;
		if (old && options.backupPath) {
			const backup = this.inside(options.backupPath);
			if (!existsSync(backup)) {
				mkdirSync(dirname(backup), {recursive: true, mode: 0o700});
				copyFileSync(file, backup);
			}
		}

		sweepTemp(dirname(file));
		const temporary = join(dirname(file), `${tempPrefix}${process.pid}.${randomBytes(6).toString('hex')}`);
		const fd = openSync(temporary, 'wx', 0o600);
		try {
			writeSync(fd, content);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		if (old) {
			chownSync(temporary, old.uid, old.gid);
		}

		chmodSync(temporary, old && !options.forceMode ? old.mode & 0o7777 : (options.mode ?? 0o644));

		renameSync(temporary, file);
	}

	async mkdir(path: string, mode?: number): Promise<void> {
		const directory = this.inside(path);
		if (!existsSync(directory)) {
			mkdirSync(directory, {recursive: true});
			if (mode !== undefined) {
				chmodSync(directory, mode);
			}
		}
	}

	async stat(path: string): Promise<FileStat | null> {
		const file = this.inside(path);
		if (!existsSync(file)) {
			return null;
		}

		const stats = statSync(file);
		return {mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, size: stats.size, isDirectory: stats.isDirectory()};
	}

	async facts(requests: readonly FactRequest[]): Promise<Facts> {
		const facts = new Map<string, Fact>();
		for (const request of requests) {
			if (request.kind === 'file') {
				const text = await this.read(request.path);
				const stats = text === null ? null : await this.stat(request.path);
				facts.set(request.key, {
					key: request.key,
					exists: text !== null,
					text: text ?? '',
					exitCode: text === null ? 1 : 0,
					...(stats ? {mode: stats.mode & 0o777} : {}),
				});
			} else if (request.kind === 'dir') {
				const stats = await this.stat(request.path);
				const exists = stats?.isDirectory === true;
				facts.set(request.key, {key: request.key, exists, text: '', exitCode: exists ? 0 : 1});
			} else {
				facts.set(request.key, {key: request.key, exists: false, text: '', exitCode: 127, unavailable: true});
			}
		}

		return facts;
	}

	async close(): Promise<void> {}
}
