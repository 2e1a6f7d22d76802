// One unit through its lifecycle: read facts → judge → confirm → apply (guarded for lockout risk) → judge again.
// A failure asks the operator (retry, skip, abort); nothing here decides ok by itself: converge.ts does.
import {applyActions, summary} from './apply.js';
import {awaitOrphan} from './orphan.js';
import {followUps, withFollowUp} from './follow-up.js';
import {judge, judgePlan, type Verdict} from './converge.js';
import {LoginFailed, StepFailure} from './errors.js';
import type {EventBus} from './event-bus.js';
import type {FactCache} from './fact-cache.js';
import {applyGuarded, settleArmedGuard} from './guarded-apply.js';
import type {RunState} from './run-state.js';
import {showPlan} from './show-plan.js';
import {ConnectionLost, TargetError} from './target.js';
import type {Check, PromptChoice, PromptKind, StepContext} from './types.js';
import type {Outcome, Unit} from './unit.js';

type Settled = Exclude<Verdict, {kind: 'todo' | 'failed'}>;

/** What running a unit needs from the run around it. */
export interface UnitDeps {
	readonly bus: EventBus;
	readonly facts: FactCache;
	readonly state: RunState;
	readonly signal: AbortSignal;
	readonly yes: boolean;
	readonly dryRun: boolean;
	readonly interactive: boolean;
	readonly guardSeconds: number;
	context(unit: Unit): StepContext;
	ask(unit: Unit, kind: PromptKind, choices: readonly PromptChoice[], pid?: number): Promise<PromptChoice>;
	stopped(): boolean;
	/** The connection to the unit's host went away: the run stops as interrupted. */
	lost(unit: Unit, error: ConnectionLost): void;
}

/** `next`: go on with this host; `stop-host`: it failed and was not skipped; `declined`: the operator stopped the run. */
export type UnitEnd = 'next' | 'stop-host' | 'declined' | 'interrupted';

export async function runUnit(unit: Unit, deps: UnitDeps): Promise<UnitEnd> {
	const {step, target} = unit;
	const label = target.info.label;
	for (;;) {
		deps.state.begin(unit, {current: unit.key});
		deps.bus.emit({type: 'step-start', stepId: step.id, target: label, title: step.title, why: step.why});
		let outcome: Outcome;
		try {
			outcome = await attempt(unit, deps);
		} catch (error) {
			if (deps.stopped()) {
				// The step stays "running": resume reads it again.
				return 'interrupted';
			}

			if (error instanceof ConnectionLost) {
				// Not the step's failure: the run stops, resumable, and says what may still run on the host.
				deps.state.setUnit(unit, 'running', error.message);
				if (error.pid !== undefined) {
					deps.state.setOrphan(unit, {
						pid: error.pid,
						session: error.session ?? false,
						...(error.identity ? {identity: error.identity} : {}),
						title: step.title,
						...(error.shellCommand ? {shellCommand: error.shellCommand} : {}),
					});
				}

				deps.lost(unit, error);
				return 'interrupted';
			}

			const {message, remedy} = describe(error);
			deps.state.setUnit(unit, 'failed', message, remedy);
			deps.bus.emit({type: 'step-end', stepId: step.id, target: label, status: 'failed', message, remedy});
			const choice = await deps.ask(unit, 'failed', ['retry', 'skip', 'abort']);
			if (choice === 'retry') {
				continue;
			}

			if (choice === 'skip') {
				deps.state.setUnit(unit, 'skipped', `skipped after failing: ${message}`, remedy);
				deps.state.count('skipped');
				return 'next';
			}

			deps.state.count('failed');
			return 'stop-host';
		}

		if (outcome.kind === 'declined') {
			deps.state.setUnit(unit, 'pending', 'stopped before applying');
			return 'declined';
		}

		deps.state.setUnit(unit, outcome.status, outcome.message, outcome.remedy);
		deps.bus.emit({
			type: 'step-end',
			stepId: step.id,
			target: label,
			status: outcome.status,
			message: outcome.message,
			...(outcome.remedy ? {remedy: outcome.remedy} : {}),
		});
		deps.state.count(outcome.status);
		return 'next';
	}
}

async function attempt(unit: Unit, deps: UnitDeps): Promise<Outcome> {
	const {step, target} = unit;
	const ctx = deps.context(unit);
	// This attempt is already counted: only an earlier one (cut off, failed, or lost with its connection) can have left
	// a guard on the host, so a first attempt asks nothing and a re-run that changes nothing stays one round trip.
	if (step.risk === 'lockout' && target.live && (deps.state.unit(unit)?.attempts ?? 0) > 1) {
		const happened = await settleArmedGuard(step, target, deps.state.record.id, deps.signal);
		if (happened) {
			deps.bus.emit({type: 'drift', stepId: step.id, target: target.info.label, summary: happened});
		}
	}

	if ((await awaitOrphan(unit, deps)) === 'declined') {
		return {kind: 'declined'};
	}

	const facts = await deps.facts.read(step, target);
	const {plan, verdict} = withFollowUp(unit, deps, step.plan(ctx, facts), plan => judgePlan(step, ctx, facts, target, plan));
	deps.bus.emit({type: 'plan', stepId: step.id, target: target.info.label, plan: showPlan(plan, target.live)});
	if (verdict.kind !== 'todo') {
		// Nothing to apply: the step is exactly what its checks say, the same answer `waymark check` gives.
		return settle(unit, verdict, deps);
	}

	if (deps.dryRun) {
		return {kind: 'finished', status: 'skipped', message: 'dry run: nothing changed'};
	}

	if (!deps.yes) {
		const choice = await deps.ask(unit, 'confirm', ['apply', 'skip', 'abort']);
		if (choice === 'skip') {
			return {kind: 'finished', status: 'skipped', message: 'skipped by the operator'};
		}

		if (choice !== 'apply') {
			if (!deps.interactive) {
				throw new StepFailure(`${step.title} needs confirmation and nobody can answer here.`, 'Pass --yes to apply without asking, or run in a terminal.');
			}

			return {kind: 'declined'};
		}
	}

	deps.facts.invalidate(target);
	const apply = async (actions: typeof verdict.actions) =>
		applyActions(target, actions, {
			runId: deps.state.record.id,
			signal: deps.signal,
			stopped: deps.stopped,
			onLine: line => {
				deps.bus.output(step.id, target.info.label, line);
			},
		});
	// Recorded before the first edit: a cut after it leaves files that look done and a service that never took them.
	deps.state.setFollowUp(unit, followUps(verdict.actions));
	const verify = async () => verifyUnit(unit, ctx, deps);
	const doable = {actions: verdict.actions, notes: plan.notes};
	let after: Settled;
	if (step.risk === 'lockout' && target.live) {
		after = await applyGuarded(step, ctx, target, doable, {runId: deps.state.record.id, seconds: deps.guardSeconds, signal: deps.signal, apply, verify});
	} else {
		await apply(doable.actions);
		after = await verify();
	}

	const done = summary(doable.actions);
	return after.kind === 'ok'
		? {kind: 'finished', status: 'changed', message: done}
		: {kind: 'finished', status: after.kind, message: `${done}; ${after.message}`, remedy: after.remedy};
}

/** The outcome of a step with nothing to apply: ok, the failing check's evidence, or what waits. */
function settle(unit: Unit, verdict: Exclude<Verdict, {kind: 'todo'}>, deps: UnitDeps): Outcome {
	emitChecks(unit, verdict.checks, deps);
	if (verdict.kind === 'failed') {
		throw new StepFailure(verdict.message, verdict.remedy);
	}

	return {kind: 'finished', status: verdict.kind, message: verdict.message, ...(verdict.kind === 'ok' ? {} : {remedy: verdict.remedy})};
}

/** After apply: read afresh; the plan must now be empty and every check must pass (or wait for the live host). */
async function verifyUnit(unit: Unit, ctx: StepContext, deps: UnitDeps): Promise<Settled> {
	const facts = await deps.facts.read(unit.step, unit.target, true);
	const verdict = judge(unit.step, ctx, facts, unit.target);
	switch (verdict.kind) {
		case 'todo': {
			throw new StepFailure(
				`${unit.step.title}: after applying, the host still differs (${verdict.actions.length} change(s) still planned).`,
				'Something on the host undoes the change or it did not take effect; read the output above, fix it, then retry.',
			);
		}

		case 'failed': {
			emitChecks(unit, verdict.checks, deps);
			throw new StepFailure(`${unit.step.title}: verification failed: ${verdict.message.replace(`${unit.step.title}: `, '')}`, verdict.remedy);
		}

		default: {
			emitChecks(unit, verdict.checks, deps);
			return verdict;
		}
	}
}

function emitChecks(unit: Unit, checks: readonly Check[], deps: UnitDeps): void {
	for (const check of checks) {
		deps.bus.emit({type: 'check', stepId: unit.step.id, target: unit.target.info.label, check});
	}
}

/** A failure in the operator's words; an error Waymark did not expect says so. */
function describe(error: unknown): {message: string; remedy: string} {
	if (error instanceof StepFailure || error instanceof TargetError) {
		return {message: error.message, remedy: error.remedy};
	}

	if (error instanceof LoginFailed) {
		return {message: error.message, remedy: 'Check the address, your ssh key and --ssh-config, then retry.'};
	}

	return {
		message: (error as Error).message ?? String(error),
		remedy: 'This looks like a bug in Waymark; the transcript has the details. Retry, or skip the step.',
	};
}
