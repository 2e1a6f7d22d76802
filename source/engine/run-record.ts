// Run state as the engine keeps it: one record per run, written through a sink before and after every step.
import type {RunSummary} from './channel.js';
import type {ParamValue, RunStatus, StepStatus} from './types.js';

export interface UnitState {
	readonly status: StepStatus;
	readonly message: string;
	readonly updated: string;
	readonly attempts: number;
	/** What to do about a failure, or what a deferred or skipped step waits for. */
	readonly remedy?: string;
	/**
	 * Commands that follow this step's file edits (a reload, a restart), recorded before the edits and cleared once the
	 * step is verified: if the run is cut off in between, the files look done but the service never took them, so
	 * the next attempt runs these first.
	 */
	readonly followUp?: readonly {readonly title: string; readonly script: string}[];
	/** A command a lost connection left running on the host: the next attempt waits for it before anything else. */
	readonly orphan?: OrphanState;
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

/** Where the runner writes run state; returns the record as stored (with its update time). A dry run has none. */
export interface RunSink {
	save(record: RunRecord): RunRecord;
}

/** Statuses that count as finished: resume skips them unless they drifted. */
export const finishedStatuses: ReadonlySet<StepStatus> = new Set<StepStatus>(['ok', 'changed', 'skipped', 'deferred']);

export function summarize(record: RunRecord): RunSummary {
	const done = record.order.filter(key => finishedStatuses.has(record.units[key]?.status ?? 'pending')).length;
	const last =
		record.current ?? [...record.order].reverse().find(key => record.units[key]?.status !== undefined && record.units[key]?.status !== 'pending') ?? '';
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
		waiting: record.order.flatMap(key => {
			const unit = record.units[key];
			return unit?.status === 'deferred' ? [{unit: key, message: unit.message, ...(unit.remedy ? {remedy: unit.remedy} : {})}] : [];
		}),
	};
}

/** A command a lost connection left running on the host: its process (a session leader's group when `session`), the step it belongs to, and the command that reaches the host. */
export interface OrphanState {
	readonly pid: number;
	readonly session: boolean;
	/** `BOOT_ID:START` of the process when it was left running; absent in runs saved before it was recorded. */
	readonly identity?: string;
	readonly title: string;
	readonly shellCommand?: string;
}
