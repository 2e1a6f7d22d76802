// Step tests as data, in the style of pyinfra's operation tests: answers and facts in, the plan (or noop, or what
// waits) and the checks out. Every case that changes files is also fed its own writes back and must then be a noop.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judgePlan} from '../../source/engine/converge.js';
import type {Action, Check, CheckStatus, Plan, Step, StepContext, TargetInfo, Wizard} from '../../source/engine/types.js';
import {context, type FactValues, facts, step as findStep} from './step-harness.js';

/** What a case expects of the plan. */
export type Expected =
	/** Nothing to change. */
	| 'noop'
	/** These actions, each as `file PATH`, `dir PATH` or `command TITLE`, in order. */
	| readonly string[]
	/** The plan cannot be made: StepFailure with a message matching this. */
	| {readonly throws: RegExp}
	/** Nothing to change here, and the step says why it cannot finish (deferred) or does not apply (skipped). */
	| {readonly unmet: 'deferred' | 'skipped'; readonly reason?: RegExp};

export interface StepCase {
	readonly name: string;
	/** Answers on top of the table's base answers. */
	readonly answers?: Readonly<Record<string, unknown>>;
	/** Where the step runs; default the table's target (an ssh host). */
	readonly target?: TargetInfo;
	/** Raw facts by the step's fact names, as the target would answer them. */
	readonly facts: FactValues;
	readonly expected: Expected;
	/** Notes the plan must carry (each pattern matches one). */
	readonly notes?: readonly RegExp[];
	/** Check id → status on the case's facts, for the checks the case is about. */
	readonly checks?: Readonly<Record<string, CheckStatus>>;
	/** Facts after the plan's commands ran (their effect cannot be simulated); file writes are fed back by themselves. */
	readonly after?: FactValues;
	/** Inspects the plan further (a rendered file, a script). */
	readonly also?: (plan: Plan, checks: readonly Check[]) => void;
}

export interface CaseTable {
	readonly wizard: Wizard;
	readonly step: string;
	/** Answers every case starts from (the wizard's required ones). */
	readonly answers: Readonly<Record<string, unknown>>;
	readonly secrets?: Readonly<Record<string, string>>;
	readonly target?: TargetInfo;
	readonly cases: readonly StepCase[];
}

function shown(action: Action): string {
	return action.kind === 'command' ? `command ${action.title}` : `${action.kind} ${action.path}`;
}

/** The raw fact names of the step whose request reads this path, so written files can be fed back. */
function keysOfPath(step: Step, ctx: StepContext): Map<string, string> {
	const keys = new Map<string, string>();
	for (const request of step.facts(ctx)) {
		if (request.kind === 'file') {
			keys.set(request.path, request.key);
		}
	}

	return keys;
}

/** One node:test test per case. */
export function runCases(table: CaseTable): void {
	const step = findStep(table.wizard, table.step);
	for (const each of table.cases) {
		test(`${table.wizard.id} ${table.step}: ${each.name}`, () => {
			const base = context(table.wizard, {...table.answers, ...each.answers}, {...table.secrets});
			const ctx: StepContext = {...base, target: each.target ?? table.target ?? base.target};
			const reach = {live: ctx.target.kind !== 'root'};
			const expected = each.expected;
			if (typeof expected === 'object' && 'throws' in expected) {
				assert.throws(
					() => step.plan(ctx, facts(each.facts)),
					(error: unknown) => expected.throws.test((error as Error).message),
				);
				return;
			}

			const plan = step.plan(ctx, facts(each.facts));
			each.also?.(plan, step.verify?.(ctx, facts(each.facts)) ?? []);
			for (const note of each.notes ?? []) {
				assert.ok(plan.notes.some(text => note.test(text)) || note.test(plan.unmet?.reason ?? ''), `a note matching ${note} in ${JSON.stringify(plan.notes)}`);
			}

			if (expected === 'noop') {
				assert.deepEqual(plan.actions.map(shown), []);
				assert.equal(plan.unmet, undefined, `unexpected: ${plan.unmet?.reason ?? ''}`);
			} else if ('unmet' in expected) {
				assert.deepEqual(plan.actions.map(shown), []);
				assert.equal(plan.unmet?.status, expected.unmet);
				if (expected.reason) {
					assert.match(plan.unmet?.reason ?? '', expected.reason);
				}
			} else {
				assert.deepEqual(plan.actions.map(shown), expected);
			}

			if (each.checks) {
				const checks = step.verify?.(ctx, facts(each.facts)) ?? [];
				const statuses = Object.fromEntries(checks.filter(check => check.id in each.checks!).map(check => [check.id, check.status]));
				assert.deepEqual(statuses, each.checks);
			}

			// Converges: its own file writes and the commands' recorded effects leave nothing to do.
			if (Array.isArray(expected) && expected.length > 0) {
				const keys = keysOfPath(step, ctx);
				const written: FactValues = {};
				for (const action of plan.actions) {
					if (action.kind === 'file' && keys.has(action.path)) {
						written[keys.get(action.path)!] = action.after;
					}
				}

				const next = facts({...each.facts, ...written, ...each.after});
				const verdict = judgePlan(step, ctx, next, reach, step.plan(ctx, next));
				if (verdict.kind === 'todo') {
					assert.deepEqual(
						verdict.actions.filter(action => action.kind !== 'command' || each.after !== undefined).map(shown),
						[],
						'after its own changes the step has nothing left to do',
					);
				}
			}
		});
	}
}
