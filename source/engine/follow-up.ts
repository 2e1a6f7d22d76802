// A change's follow-up (the reload or restart after its file edits) is part of the change: recorded before the
// edits, run again by the next attempt if the last one was cut off between the edits and the follow-up.
import type {Verdict} from './converge.js';
import type {UnitState} from './run-record.js';
import type {Action, Plan} from './types.js';
import type {UnitDeps} from './unit-runner.js';
import type {Unit} from './unit.js';

/** The commands after a plan's first file edit: the reloads and restarts that make a service take the edits. */
export function followUps(actions: readonly Action[]): UnitState['followUp'] {
	const firstFile = actions.findIndex(action => action.kind === 'file');
	return firstFile === -1 ? [] : actions.slice(firstFile).flatMap(action => (action.kind === 'command' ? [{title: action.title, script: action.script}] : []));
}

/**
 * An earlier attempt edited the files and was cut off before its follow-up ran: the files are as wanted, so the
 * plan is empty, but the service still runs the old settings. The follow-up is what is left to do.
 */
export function withFollowUp(unit: Unit, deps: UnitDeps, plan: Plan, judged: (plan: Plan) => Verdict): {plan: Plan; verdict: Verdict} {
	const verdict = judged(plan);
	const pending = deps.state.unit(unit)?.followUp ?? [];
	if (verdict.kind === 'todo' || pending.length === 0 || !unit.target.live) {
		return {plan, verdict};
	}

	const actions: Action[] = pending.map(each => ({kind: 'command', title: each.title, script: each.script}));
	const titles = pending.map(each => each.title).join('; ');
	deps.bus.emit({
		type: 'drift',
		stepId: unit.step.id,
		target: unit.target.info.label,
		summary: `the last attempt changed the files and was cut off before: ${titles}`,
	});
	const again: Plan = {actions, notes: [`The files were changed by the last attempt, which was cut off before: ${titles}. It runs now.`, ...plan.notes]};
	return {plan: again, verdict: {kind: 'todo', plan: again, actions}};
}
