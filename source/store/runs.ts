// Run state, one conf file per run, written before and after every step so a killed run resumes.
import {mkdirSync, readdirSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import Conf from 'conf';
import type {RunSummary} from '../engine/channel.js';
import {summarize, type RunRecord, type RunSink} from '../engine/run-record.js';

export {summarize, unitKey, type RunRecord, type UnitState} from '../engine/run-record.js';

export class RunStore implements RunSink {
	private readonly dir: string;

	constructor(home: string) {
		this.dir = join(home, 'runs');
		mkdirSync(this.dir, {recursive: true, mode: 0o700});
	}

	private conf(id: string): Conf<RunRecord> {
		if (!/^[\w-]+$/.test(id)) {
			throw new Error(`${JSON.stringify(id)} is not a run id`);
		}

		// Conf writes atomically (temp file + rename); the file holds no secrets but stays private anyway.
		return new Conf<RunRecord>({cwd: this.dir, configName: id, configFileMode: 0o600, accessPropertiesByDotNotation: false});
	}

	newId(guide: string): string {
		const stamp = new Date().toISOString().replaceAll(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
		return `${guide}-${stamp}-${randomBytes(2).toString('hex')}`;
	}

	create(record: Omit<RunRecord, 'created' | 'updated'>): RunRecord {
		const now = new Date().toISOString();
		const full: RunRecord = {...record, created: now, updated: now};
		this.conf(record.id).store = full;
		return full;
	}

	load(id: string): RunRecord | undefined {
		const record = this.conf(id).store;
		return record.id ? structuredClone(record) : undefined;
	}

	/** Writes the whole record at once, so a crash leaves either the old or the new state. */
	save(record: RunRecord): RunRecord {
		const next = {...record, updated: new Date().toISOString()};
		this.conf(record.id).store = next;
		return next;
	}

	ids(): string[] {
		return readdirSync(this.dir)
			.filter(name => name.endsWith('.json'))
			.map(name => name.slice(0, -5))
			.sort();
	}

	list(): RunSummary[] {
		return this.ids()
			.map(id => this.load(id))
			.filter((record): record is RunRecord => record !== undefined)
			.map(record => summarize(record))
			.sort((a, b) => a.updated.localeCompare(b.updated));
	}
}
