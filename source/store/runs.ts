// Run state, one conf file per run, written before and after every step so a killed run resumes.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import {UsageError, onStorage} from '../engine/errors.js';
import {privateDir, sweepTemp, writeFileAtomic} from './atomic-file.js';
import type {RunSummary} from '../engine/channel.js';
import {summarize, type RunRecord, type RunSink} from '../engine/run-record.js';

export {summarize, unitKey, type RunRecord, type UnitState} from '../engine/run-record.js';

/** A run file that is not a run Waymark can read: bad JSON, or JSON of another shape. */
export class UnreadableRun extends Error {
	readonly remedy: string;

	constructor(
		readonly id: string,
		readonly path: string,
		readonly reason: string,
	) {
		super(`Run ${id} cannot be read (${path}): ${reason}`);
		this.name = 'UnreadableRun';
		this.remedy = `Move it aside (mv ${path} ${path}.bad); \`waymark runs\` lists the others.`;
	}
}

export class RunStore implements RunSink {
	private readonly dir: string;

	constructor(home: string) {
		this.dir = join(home, 'runs');
		sweepTemp(this.dir);
	}

	// Made on the first write, not on open: a dry run, `runs` and `check` leave WAYMARK_HOME as they found it.
	private made = false;
	private ensureDir(): void {
		if (!this.made) {
			privateDir(this.dir);
			this.made = true;
		}
	}

	private path(id: string): string {
		if (!isRunId(id)) {
			throw new UsageError(`${JSON.stringify(id)} is not a run id`, 'Run ids look like uwsgi-node-20260101-120000-ab12; `waymark runs` lists them.');
		}

		return join(this.dir, `${id}.json`);
	}

	newId(guide: string): string {
		const stamp = new Date().toISOString().replaceAll(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
		return `${guide}-${stamp}-${randomBytes(2).toString('hex')}`;
	}

	create(record: Omit<RunRecord, 'created' | 'updated'>): RunRecord {
		const now = new Date().toISOString();
		const full: RunRecord = {...record, created: now, updated: now};
		this.ensureDir();
		writeFileAtomic(this.path(record.id), JSON.stringify(full), 0o600);
		return full;
	}

	/** The run, or undefined when there is none; throws UnreadableRun for a file that is not a run. */
	load(id: string): RunRecord | undefined {
		const path = this.path(id);
		let text: string;
		try {
			text = onStorage(path, 'read', () => readFileSync(path, 'utf8'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return undefined;
			}

			throw error;
		}

		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch {
			throw new UnreadableRun(id, path, text.trim() === '' ? 'the file is empty' : 'it is not JSON');
		}

		const problem = shapeProblem(data);
		if (problem !== undefined) {
			throw new UnreadableRun(id, path, problem);
		}

		return data as RunRecord;
	}

	/** Writes the whole record at once, so a crash leaves either the old or the new state. */
	save(record: RunRecord): RunRecord {
		const next = {...record, updated: new Date().toISOString()};
		this.ensureDir();
		writeFileAtomic(this.path(record.id), JSON.stringify(next), 0o600);
		return next;
	}

	ids(): string[] {
		if (!existsSync(this.dir)) {
			return [];
		}

		return onStorage(this.dir, 'read', () => readdirSync(this.dir))
			.filter(name => name.endsWith('.json'))
			.map(name => name.slice(0, -5))
			.filter(id => isRunId(id))
			.sort();
	}

	/** Every readable run, oldest first, and the files that are not runs (each reported, none blocking the others). */
	scan(): {runs: RunSummary[]; unreadable: UnreadableRun[]} {
		const runs: RunSummary[] = [];
		const unreadable: UnreadableRun[] = [];
		for (const id of this.ids()) {
			try {
				const record = this.load(id);
				if (record) {
					runs.push(summarize(record));
				}
			} catch (error) {
				if (!(error instanceof UnreadableRun)) {
					throw error;
				}

				unreadable.push(error);
			}
		}

		return {runs: runs.sort((a, b) => a.updated.localeCompare(b.updated)), unreadable};
	}

	list(): RunSummary[] {
		return this.scan().runs;
	}
}

function isRunId(id: string): boolean {
	return /^[a-z][\w-]{0,120}$/i.test(id);
}

/** What is wrong with a parsed run file's shape, or undefined when it is a run. */
function shapeProblem(data: unknown): string | undefined {
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return 'it is not a run record (not an object)';
	}

	const record = data as Record<string, unknown>;
	for (const [field, type] of [
		['id', 'string'],
		['guide', 'string'],
		['status', 'string'],
		['updated', 'string'],
	] as const) {
		if (typeof record[field] !== type) {
			return `its ${field} is not a ${type}`;
		}
	}

	for (const field of ['bindings', 'answers', 'units', 'options']) {
		if (typeof record[field] !== 'object' || record[field] === null || Array.isArray(record[field])) {
			return `its ${field} is not an object`;
		}
	}

	if (!Array.isArray(record['order']) || !record['order'].every(key => typeof key === 'string')) {
		return 'its order is not a list of steps';
	}

	return undefined;
}
