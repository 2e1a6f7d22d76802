// Run state, one conf file per run, written before and after every step so a killed run resumes.
import {mkdirSync, readdirSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import Conf from 'conf';
import type {RunSummary} from '../engine/channel.js';
import type {ParamValue, RunStatus, StepStatus} from '../engine/types.js';

export interface UnitState {
	readonly status: StepStatus;
	readonly message: string;
	readonly updated: string;
	readonly attempts: number;
	/** What to do about a failure, or what a deferred or skipped step waits for. */
	readonly remedy?: string;
}

export interface RunRecord {
	readonly id: string;
	readonly guide: string;
	readonly created: string;
	readonly updated: string;
	readonly status: RunStatus;
	/** Role → target specs as typed. */
	readonly bindings: Readonly<Record<string, readonly string[]>>;
	/** Answers without secret params: those are asked again on resume. */
	readonly answers: Readonly<Record<string, ParamValue>>;
	readonly options: {readonly sshConfig?: string; readonly become?: boolean; readonly only?: readonly string[]};
	/** Step × target → its state; the key is `stepId@target`. */
	readonly units: Readonly<Record<string, UnitState>>;
	/** Ordered unit keys, to say "step N of M". */
	readonly order: readonly string[];
	readonly current?: string;
}

export function unitKey(stepId: string, target: string): string {
	return `${stepId}@${target}`;
}

export class RunStore {
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

export function summarize(record: RunRecord): RunSummary {
	const finished = new Set<StepStatus>(['ok', 'changed', 'skipped', 'deferred']);
	const done = record.order.filter(key => finished.has(record.units[key]?.status ?? 'pending')).length;
	const last = record.current ?? [...record.order].reverse().find(key => record.units[key]?.status !== undefined && record.units[key]?.status !== 'pending') ?? '';
	return {
		id: record.id,
		guide: record.guide,
		targets: Object.entries(record.bindings)
			.map(([role, specs]) => `${role}=${specs.join(',')}`)
			.join(' '),
		status: record.status,
		lastStep: last,
		done,
		total: record.order.length,
		updated: record.updated,
	};
}
