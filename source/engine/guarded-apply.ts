// The lockout-safe apply of a step: prove the way back, build first, arm a rollback, change, log in afresh,
// verify, disarm. Any failure after arming restores the previous state on the host.
import type {Verdict} from './converge.js';
import {LoginFailed, StepFailure} from './errors.js';
import {armedGuard, armRollback, firedGuard, guardId, proveWayBack, refusedBeforeChange} from './guard.js';
import {ConnectionLost, type Target} from './target.js';
import type {Action, FileAction, Plan, Step, StepContext} from './types.js';

/** What the guarded apply needs from the run around it. */
export interface GuardedDeps {
	readonly runId: string;
	readonly seconds: number;
	readonly signal: AbortSignal;
	apply(actions: readonly Action[]): Promise<void>;
	/** Reads afresh and judges the step; throws when it is not as wanted. */
	verify(): Promise<Exclude<Verdict, {kind: 'todo' | 'failed'}>>;
}

export async function applyGuarded(
	step: Step,
	ctx: StepContext,
	target: Target,
	plan: Plan,
	deps: GuardedDeps,
): Promise<Exclude<Verdict, {kind: 'todo' | 'failed'}>> {
	await proveWayBack(target, deps.signal).catch((error: unknown) => {
		throw error instanceof LoginFailed ? refusedBeforeChange(error) : error;
	});
	// Commands before the first file edit (a module build) change nothing anyone logs in with: they run before the
	// timer starts, so a slow build cannot outlast it.
	const firstFile = plan.actions.findIndex(action => action.kind === 'file');
	const before = firstFile === -1 ? [] : plan.actions.slice(0, firstFile);
	await deps.apply(before);
	const rest = plan.actions.slice(before.length);
	const files = rest.filter((action): action is FileAction => action.kind === 'file');
	const guard = await armRollback(target, {id: guardId(deps.runId, step.id), files, guard: step.guard?.(ctx), seconds: deps.seconds});
	const firesAt = new Date(Date.now() + deps.seconds * 1000);
	try {
		await deps.apply(rest);
		await proveWayBack(target, deps.signal, 5).catch((error: unknown) => {
			if (!(error instanceof LoginFailed)) {
				throw error;
			}

			throw new StepFailure(
				`After the change, a new login to ${error.target} failed, so the previous settings were restored and the step failed. The login said: ${error.reason}`,
				'Check that the key you log in with is in a file the new settings still read (AuthorizedKeysFile), or change the answers, then retry.',
			);
		});
		const verdict = await deps.verify();
		await guard.disarm();
		return verdict;
	} catch (error) {
		// The host cannot be told to roll back: its armed timer does it, unless a resume proves a login first.
		const lost = (cut: ConnectionLost) => new ConnectionLost(cut.target, cut.reason, {...cut.details, rollbackAt: firesAt});
		if (error instanceof ConnectionLost) {
			throw lost(error);
		}

		// A change that outlasted the guard was undone by the timer: that, not "something undoes it", is the story.
		// The link can also go while the rollback is being asked for (a new login failed because the network did).
		let fired: string | undefined;
		try {
			fired = await guard.fired().catch(() => undefined);
			await guard.rollback();
		} catch (rollbackError) {
			throw rollbackError instanceof ConnectionLost ? lost(rollbackError) : rollbackError;
		}

		if (fired !== undefined) {
			throw new StepFailure(
				`The automatic rollback on ${target.info.label} fired at ${fired} UTC, ${deps.seconds} s after it was armed and before the change ` +
					`was confirmed, so the previous settings are back.`,
				`The host is as it was before the step. Retry it with more time: --guard-seconds ${Math.max(deps.seconds * 2, 60)}.`,
			);
		}

		throw error;
	}
}

/**
 * A lockout step cut off by a crash may have left its rollback armed. Before anything else, prove the way back:
 * if it works the change is kept (disarmed), else the previous state comes back now. Returns what happened, if anything.
 */
export async function settleArmedGuard(step: Step, target: Target, runId: string, signal: AbortSignal): Promise<string | undefined> {
	const armed = await armedGuard(target, guardId(runId, step.id));
	if (!armed) {
		const fired = await firedGuard(target, guardId(runId, step.id));
		if (fired === undefined) {
			return undefined;
		}

		return fired.restored
			? `while the run was away, the host restored the previous settings by itself at ${fired.at} UTC (the change was never confirmed)`
			: `while the run was away, the automatic rollback fired at ${fired.at} UTC but could not restore everything${fired.log ? ` (${fired.log})` : ''}; ` +
					'the step is planned again from the host as it is now';
	}

	try {
		await proveWayBack(target, signal, 5);
	} catch {
		await armed.rollback();
		return 'the run stopped while this change was being tried and a new login failed: the previous settings were restored';
	}

	await armed.disarm();
	return 'the rollback armed before the run stopped was still waiting; a new login worked, so it was disarmed and the step goes on from the host as it is';
}
