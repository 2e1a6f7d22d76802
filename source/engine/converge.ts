// The one decision of what state a step is in, shared by `run` (before and after apply) and `check`,
// so the two can never disagree: ok needs an empty plan AND passing checks on the facts just read.
import {StepFailure} from './errors.js';
import type {Action, Check, CommandAction, Fact, Facts, Plan, Step, StepContext} from './types.js';

/** Where the step stands on a host, from one read of its facts. */
export type Verdict =
	/** Nothing to change and every check passes (warnings allowed). */
	| {readonly kind: 'ok'; readonly message: string; readonly checks: readonly Check[]}
	/** Something to change: these actions, in order (on an offline target, only what can be done there). */
	| {readonly kind: 'todo'; readonly plan: Plan; readonly actions: readonly Action[]}
	/** Nothing to change, yet a check fails, or the step cannot even be planned: the host is not as the step says. */
	| {readonly kind: 'failed'; readonly message: string; readonly remedy: string; readonly checks: readonly Check[]}
	/** What is left cannot be done here: it waits for the live host, or for something outside Waymark (the kernel). */
	| {readonly kind: 'deferred'; readonly message: string; readonly remedy: string; readonly checks: readonly Check[]}
	/** The step does not apply to this host (a container has no kernel command line of its own). */
	| {readonly kind: 'skipped'; readonly message: string; readonly remedy: string; readonly checks: readonly Check[]};

/** Whether commands run on this target: an offline root:DIR only takes files and directories. */
export interface Reach {
	readonly live: boolean;
}

/** A step's plan and checks on these facts, judged the same way everywhere. */
export function judge(step: Step, ctx: StepContext, facts: Facts, reach: Reach): Verdict {
	let plan: Plan;
	try {
		plan = step.plan(ctx, facts);
	} catch (error) {
		if (error instanceof StepFailure) {
			return {kind: 'failed', message: error.message, remedy: error.remedy, checks: []};
		}

		throw error;
	}

	return judgePlan(step, ctx, facts, reach, plan);
}

/** As `judge`, for a plan already made from these facts. */
export function judgePlan(step: Step, ctx: StepContext, facts: Facts, reach: Reach, plan: Plan): Verdict {
	const offline = !reach.live;
	const commands = plan.actions.filter((action): action is CommandAction => action.kind === 'command');
	if (offline && step.risk === 'lockout' && prerequisiteCommands(plan).length > 0) {
		// A lockout edit whose prerequisite (a module build) cannot run here would lock the image's first boot.
		const waiting = prerequisiteCommands(plan).map(action => action.title);
		return {
			kind: 'deferred',
			message: `waits for the live host: ${waiting.join('; ')} must run before this change is safe, so nothing was written`,
			remedy: `Run the wizard again with the live host as its target; --only ${step.id} runs just this step.`,
			checks: [],
		};
	}

	const doable = offline ? plan.actions.filter(action => action.kind !== 'command') : plan.actions;
	if (doable.length > 0) {
		return {kind: 'todo', plan, actions: doable};
	}

	const checks = checksOf(step, ctx, facts, reach);
	if (offline && commands.length > 0) {
		// Checks that fail only because these commands have not run yet are no news: the commands come first.
		return {
			kind: 'deferred',
			message: `${commands.length} command(s) wait for the live host: ${commands.map(action => action.title).join('; ')}`,
			remedy: `Run the wizard again with the live host as its target to carry them out; --only ${step.id} runs just this step.`,
			checks,
		};
	}

	const failing = checks.filter(check => check.status === 'fail');
	if (failing.length > 0) {
		return {
			kind: 'failed',
			message: `${step.title}: ${failing.map(check => `${check.title} failed (${check.evidence})`).join('; ')}`,
			remedy: failing.map(check => check.reason).join(' '),
			checks,
		};
	}

	if (plan.unmet) {
		return {kind: plan.unmet.status, message: plan.unmet.reason, remedy: plan.unmet.remedy, checks};
	}

	const waiting = checks.filter(check => check.status === 'deferred');
	if (waiting.length > 0) {
		return {
			kind: 'deferred',
			message: `files are as wanted; ${waiting.map(check => check.title).join('; ')} can only be checked on the live host`,
			remedy: `Run \`waymark check\` against the live host once it runs.`,
			checks,
		};
	}

	return {kind: 'ok', message: plan.notes[0] ?? 'already as wanted', checks};
}

/** Commands that must run before the first file edit: builds and installs the edit depends on. */
export function prerequisiteCommands(plan: Plan): readonly CommandAction[] {
	const firstFile = plan.actions.findIndex(action => action.kind === 'file');
	return firstFile === -1 ? [] : plan.actions.slice(0, firstFile).filter((action): action is CommandAction => action.kind === 'command');
}

/**
 * A step's own checks. On an offline target a check that read a fact only a live host can answer (a daemon, a
 * loaded module) cannot be judged: it becomes `deferred` instead of a pass or a failure made up from nothing.
 */
export function checksOf(step: Step, ctx: StepContext, facts: Facts, reach: Reach): readonly Check[] {
	if (!step.verify) {
		return [];
	}

	const tracked = new TrackedFacts(facts);
	const checks = step.verify(ctx, tracked);
	if (reach.live || !tracked.readUnavailable) {
		return checks;
	}

	return checks.map(check => (check.status === 'n/a' ? check : {...check, status: 'deferred', reason: `needs the live host: ${check.reason}`}));
}

/** Facts that remember whether anyone asked for one the target could not answer. */
class TrackedFacts extends Map<string, Fact> {
	readUnavailable = false;

	constructor(facts: Facts) {
		super(facts);
	}

	override get(key: string): Fact | undefined {
		const found = super.get(key);
		if (found === undefined || found.unavailable) {
			this.readUnavailable = true;
		}

		return found;
	}
}

/** What changed since a finished step, for the drift event on resume. */
export function driftSummary(verdict: Exclude<Verdict, {kind: 'ok'}>): string {
	switch (verdict.kind) {
		case 'todo': {
			return `${verdict.actions.length} change(s) needed again since this step finished`;
		}

		case 'failed': {
			return `it is no longer as wanted: ${verdict.message}`;
		}

		default: {
			return `it waits again: ${verdict.message}`;
		}
	}
}
