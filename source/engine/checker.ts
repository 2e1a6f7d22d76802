// `waymark check`: read-only. One round trip of facts per host, then every step's plan and checks, explained.
import type {Target} from './target.js';
import {checksOf, judge, type Verdict} from './converge.js';
import {readHost, type HostRead} from './fact-cache.js';
import {factsView} from './fact-view.js';
import type {Platform} from './preflight.js';
import type {Action, Answers, Check, Facts, Step, StepContext, TargetInfo, Wizard} from './types.js';

/** One finding: what was checked, on which host, and the step that fixes it. */
export interface Finding {
	readonly target: string;
	readonly stepId: string;
	readonly stepTitle: string;
	readonly check: Check;
	/** The step to run to fix it (`waymark run GUIDE --only STEP`); absent when it passes or cannot be fixed by a step. */
	readonly fix?: string;
}

export interface CheckOptions {
	readonly wizard: Wizard;
	readonly targets: ReadonlyMap<string, readonly Target[]>;
	readonly answers: Answers;
	/** The secrets the run made (keys the steps write): without them every key file would look wrong. */
	readonly secrets?: ReadonlyMap<string, string>;
	readonly signal?: AbortSignal;
}

export interface HostPlatform {
	readonly target: string;
	readonly platform: Platform;
	readonly differences: readonly string[];
}

/** Checks every host in parallel; each host is read in a single round trip, and nothing is written. */
export async function checkHosts(options: CheckOptions): Promise<{findings: Finding[]; platforms: HostPlatform[]}> {
	const platforms: HostPlatform[] = [];
	const byTarget = new Map<Target, Step[]>();
	for (const step of options.wizard.steps) {
		for (const target of options.targets.get(step.role) ?? []) {
			byTarget.set(target, [...(byTarget.get(target) ?? []), step]);
		}
	}

	const bindings: Record<string, TargetInfo[]> = {};
	for (const [role, targets] of options.targets) {
		bindings[role] = targets.map(target => target.info);
	}

	const perHost = await Promise.all(
		[...byTarget].map(async ([target, steps]) => {
			const context: StepContext = {answers: options.answers, target: target.info, bindings, secrets: options.secrets ?? new Map()};
			let read: HostRead;
			try {
				read = await readHost(target, steps, () => context, options.signal);
			} catch (error) {
				return [unreachable(target, steps[0]!, error as Error)];
			}

			platforms.push({target: target.info.label, platform: read.platform, differences: read.differences});
			return steps.flatMap(step => checkStep(step, context, factsView(read.facts, step.id)));
		}),
	);
	return {findings: perHost.flat(), platforms};
}

function unreachable(target: Target, step: Step, error: Error): Finding {
	return {
		target: target.info.label,
		stepId: step.id,
		stepTitle: 'Reach the host',
		check: {
			id: 'reachable',
			title: `Read facts from ${target.info.label}`,
			status: 'fail',
			evidence: error.message,
			reason: 'Nothing can be checked on a host that cannot be read; check the address, your ssh key and --ssh-config.',
		},
	};
}

/** A step's state, judged exactly as `run` judges it, then its own read-only checks, explained. */
export function checkStep(step: Step, context: StepContext, facts: Facts): Finding[] {
	const base = {target: context.target.label, stepId: step.id, stepTitle: step.title};
	const reach = {live: context.target.kind !== 'root'};
	const state = (status: Check['status'], evidence: string, reason: string): Finding => ({
		...base,
		...(status === 'fail' || status === 'warn' ? {fix: step.id} : {}),
		check: {id: `${step.id}:state`, title: step.title, status, evidence, reason},
	});
	let verdict: Verdict;
	try {
		verdict = judge(step, context, facts, reach);
	} catch (error) {
		return [state('fail', (error as Error).message, firstSentence(step.why))];
	}

	const checks = verdict.kind === 'todo' ? checksOf(step, context, facts, reach) : verdict.checks;
	const findings = checks.map(check => ({...base, check, ...(check.status === 'fail' || check.status === 'warn' ? {fix: step.id} : {})}));
	switch (verdict.kind) {
		case 'ok': {
			return [state('pass', verdict.message, 'Nothing would change.'), ...findings];
		}

		case 'todo': {
			return [state('fail', `would change: ${verdict.actions.map(action => describeAction(action)).join('; ')}`, firstSentence(step.why)), ...findings];
		}

		case 'deferred': {
			return [state('deferred', verdict.message, verdict.remedy), ...findings];
		}

		case 'skipped': {
			return [state('n/a', verdict.message, verdict.remedy), ...findings];
		}

		case 'failed': {
			// Failing checks speak for themselves; a plan that cannot be made is the state's own failure.
			return findings.some(finding => finding.check.status === 'fail')
				? [state('pass', 'Nothing would change.', 'Nothing would change.'), ...findings]
				: [state('fail', `${verdict.message} ${verdict.remedy}`.trim(), firstSentence(step.why)), ...findings];
		}
	}
}

function describeAction(action: Action): string {
	return action.kind === 'command'
		? `run "${action.title}"`
		: action.kind === 'dir'
			? `mkdir ${action.path}`
			: `${action.before === null ? 'create' : 'edit'} ${action.path}`;
}

function firstSentence(text: string): string {
	const end = text.search(/\.\s/);
	return end === -1 ? text : text.slice(0, end + 1);
}

export function failed(findings: readonly Finding[]): boolean {
	return findings.some(finding => finding.check.status === 'fail');
}
