// The runner's view of a run: the record it alone writes (saved through the sink before the next action) and the counts.
import {redact} from './redact.js';
import type {RunRecord, RunSink, UnitState} from './run-record.js';
import type {Counts, NotDone, StepRef, StepStatus} from './types.js';
import type {Unit} from './unit.js';

export class RunState {
	readonly counts: Counts = {ok: 0, changed: 0, failed: 0, skipped: 0, deferred: 0};

	constructor(
		private current: RunRecord,
		/** No sink on a dry run: nothing is saved. */
		private readonly sink: RunSink | undefined,
		private readonly secrets: () => readonly string[],
	) {}

	get record(): RunRecord {
		return this.current;
	}

	save(change: Partial<RunRecord>): void {
		this.current = {...this.current, ...change};
		if (this.sink) {
			this.current = this.sink.save(this.current);
		}
	}

	unit(unit: Unit): UnitState | undefined {
		return this.current.units[unit.key];
	}

	/** Records a unit's status; messages and remedies are redacted before they reach the record. */
	setUnit(unit: Unit, status: StepStatus, message: string, remedy?: string, extra: Partial<RunRecord> = {}): void {
		this.save({units: {...this.current.units, [unit.key]: this.unitState(unit, status, message, remedy)}, ...extra});
	}

	/**
	 * Marks a unit running, in memory only: nothing on the host changes before the next save (the follow-up record
	 * written before the first edit is one), so a step that finds nothing to do is one write, not two. A crash before
	 * that leaves the unit as the last save had it, and resume reads the step again.
	 */
	begin(unit: Unit, extra: Partial<RunRecord> = {}): void {
		this.current = {...this.current, units: {...this.current.units, [unit.key]: this.unitState(unit, 'running', '')}, ...extra};
	}

	private unitState(unit: Unit, status: StepStatus, message: string, remedy?: string): UnitState {
		const old = this.current.units[unit.key];
		const state: UnitState = {
			status,
			message: redact(message, this.secrets()),
			updated: new Date().toISOString(),
			attempts: (old?.attempts ?? 0) + (status === 'running' ? 1 : 0),
			...(remedy ? {remedy: redact(remedy, this.secrets())} : {}),
			// A pending follow-up or orphan outlives every state but the end of an attempt that dealt with it; a
			// declined attempt (pending again) dealt with nothing.
			...(old?.followUp && unsettled(status) ? {followUp: old.followUp} : {}),
			...(old?.orphan && unsettled(status) ? {orphan: old.orphan} : {}),
		};
		return state;
	}

	/** Records a command left running on the host by a lost connection, or that it is gone (undefined). */
	setOrphan(unit: Unit, orphan: UnitState['orphan']): void {
		const old = this.current.units[unit.key];
		if (!old) {
			return;
		}

		const {orphan: _gone, ...rest} = old;
		this.save({units: {...this.current.units, [unit.key]: orphan ? {...rest, orphan} : rest}});
	}

	/** Records the commands that must follow the edits about to be made (or none), before the first edit. */
	setFollowUp(unit: Unit, followUp: UnitState['followUp']): void {
		const old = this.current.units[unit.key];
		if (!old) {
			return;
		}

		const {followUp: _dropped, ...rest} = old;
		this.save({units: {...this.current.units, [unit.key]: followUp && followUp.length > 0 ? {...rest, followUp} : rest}});
	}

	count(status: StepStatus): void {
		if (status !== 'pending' && status !== 'running') {
			this.counts[status]++;
		}
	}

	stepRefs(units: readonly Unit[]): StepRef[] {
		return units.map(unit => ({stepId: unit.step.id, target: unit.target.info.label, title: unit.step.title, status: this.unit(unit)?.status ?? 'pending'}));
	}

	/** What the run leaves undone, from the record, so a resume lists what earlier attempts deferred too. */
	notDone(units: readonly Unit[]): NotDone[] {
		return units.flatMap(unit => {
			const state = this.unit(unit);
			if (state?.status !== 'deferred' && state?.status !== 'skipped') {
				return [];
			}

			return [
				{
					stepId: unit.step.id,
					target: unit.target.info.label,
					title: unit.step.title,
					status: state.status,
					message: state.message,
					...(state.remedy ? {remedy: state.remedy} : {}),
				},
			];
		});
	}
}

function unsettled(status: StepStatus): boolean {
	return status === 'running' || status === 'failed' || status === 'pending';
}
