// The shared case harness for this guide's steps. Two things it cannot say by itself: the run's bindings (it binds
// one node; every step here places itself among a controller and its nodes), and how run and check judge a case
// (a failure's remedy, what a deferred step tells the operator), which `judged` adds as data.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judge, type Verdict} from '../../../source/engine/converge.js';
import type {Facts, StepContext, TargetInfo, Wizard} from '../../../source/engine/types.js';
import {vpnMultinode} from '../../../wizards/vpn-multinode/index.js';
import {type CaseTable, runCases, type StepCase} from '../cases.js';
import {context, facts, step as findStep} from '../step-harness.js';
import {controllerTarget, nodeTargets} from './fixtures.js';

/** How `run` and `check` judge the case's facts. */
export interface Judged {
	readonly kind: Verdict['kind'];
	/** Matches the verdict's message (for ok, its first note; for todo, nothing). */
	readonly message?: RegExp;
	/** Matches the verdict's remedy: a StepFailure's, or what a deferred or skipped step says to do. */
	readonly remedy?: RegExp;
}

export interface MeshCase extends StepCase {
	readonly judged?: Judged;
}

export interface MeshTable extends CaseTable {
	readonly cases: readonly MeshCase[];
}

export type Bindings = Readonly<Record<string, readonly TargetInfo[]>>;

/** The guide's three hosts as one run binds them. */
export const guideBindings: Bindings = {controller: [controllerTarget], node: nodeTargets};

/** asia as an offline image (root:DIR): commands cannot run there, files are written into the directory. */
export const offlineAsia: TargetInfo = {kind: 'root', label: 'root:/srv/asia'};

/** The guide's hosts with asia bound as an offline image. */
export const offlineBindings: Bindings = {controller: [controllerTarget], node: [nodeTargets[0]!, offlineAsia]};

/** The wizard as a run with these bindings sees it: every step's context carries them. */
export function bound(bindings: Bindings = guideBindings): Wizard {
	const bind = (ctx: StepContext): StepContext => ({...ctx, bindings});
	return {
		...vpnMultinode,
		steps: vpnMultinode.steps.map(step => ({
			...step,
			facts: ctx => step.facts(bind(ctx)),
			plan: (ctx, raw) => step.plan(bind(ctx), raw),
			...(step.verify ? {verify: (ctx: StepContext, raw: Facts) => step.verify!(bind(ctx), raw)} : {}),
		})),
	};
}

function verdictText(verdict: Verdict): {message: string; remedy: string} {
	return verdict.kind === 'todo' ? {message: '', remedy: ''} : {message: verdict.message, remedy: 'remedy' in verdict ? verdict.remedy : ''};
}

/** The shared harness's tests, and one more per judged case: its fact requests never throw, and its verdict. */
export function runMeshCases(table: MeshTable): void {
	runCases(table);
	const step = findStep(table.wizard, table.step);
	for (const each of table.cases) {
		const judged = each.judged;
		if (!judged) {
			continue;
		}

		test(`${table.wizard.id} ${table.step}: ${each.name} (judged ${judged.kind})`, () => {
			const base = context(table.wizard, {...table.answers, ...each.answers}, {...table.secrets});
			const ctx: StepContext = {...base, target: each.target ?? table.target ?? base.target};
			// Fact requests never throw: whatever is wrong, the plan says it, with the fix.
			assert.ok(step.facts(ctx).length > 0);
			const verdict = judge(step, ctx, facts(each.facts), {live: ctx.target.kind !== 'root'});
			const {message, remedy} = verdictText(verdict);
			assert.equal(verdict.kind, judged.kind, message);
			if (judged.message) {
				assert.match(message, judged.message);
			}

			if (judged.remedy) {
				assert.match(remedy, judged.remedy);
			}
		});
	}
}
