// `waymark check`: read-only. One round trip of facts per host, then every step's plan and checks, explained.
import type {Target} from '../targets/target.js';
import {StepFailure} from './errors.js';
import {factsView, prefixed} from './fact-view.js';
import {differences, preflightFacts, preflightPrefix, readPlatform, type Platform} from './preflight.js';
import type {Answers, Check, FactRequest, Facts, Plan, Step, StepContext, TargetInfo, Wizard} from './types.js';

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
			const context: StepContext = {answers: options.answers, target: target.info, bindings, secrets: new Map()};
			const requests: FactRequest[] = [
				...preflightFacts.map(request => ({...request, key: `${preflightPrefix}${request.key}`})),
				...steps.flatMap(step => prefixed(step.id, step.facts(context))),
			];
			let facts: Facts;
			try {
				facts = await target.facts(requests, options.signal);
			} catch (error) {
				return [unreachable(target, steps[0]!, error as Error)];
			}

			const platform = readPlatform(facts);
			platforms.push({target: target.info.label, platform, differences: differences(platform)});

			return steps.flatMap(step => checkStep(step, context, factsView(facts, step.id)));
		}),
	);
	return {findings: perHost.flat(), platforms};
}

function unreachable(target: Target, step: Step, error: Error): Finding {
	return {
		target: target.info.label,
		stepId: step.id,
		stepTitle: 'Reach the host',
		check: {id: 'reachable', title: `Read facts from ${target.info.label}`, status: 'fail', evidence: error.message, reason: 'Nothing can be checked on a host that cannot be read; check the address, your ssh key and --ssh-config.'},
	};
}

/** A step's state: its plan (empty means as wanted; else what drifted) and its own read-only checks. */
export function checkStep(step: Step, context: StepContext, facts: Facts): Finding[] {
	const base = {target: context.target.label, stepId: step.id, stepTitle: step.title};
	let plan: Plan;
	try {
		plan = step.plan(context, facts);
	} catch (error) {
		const message = error instanceof StepFailure ? `${error.message} ${error.remedy}` : (error as Error).message;
		return [{...base, fix: step.id, check: {id: `${step.id}:state`, title: step.title, status: 'fail', evidence: message, reason: firstSentence(step.why)}}];
	}

	const actions = context.target.kind === 'root' ? plan.actions.filter(action => action.kind !== 'command') : plan.actions;
	const state: Finding =
		actions.length === 0
			? {...base, check: {id: `${step.id}:state`, title: step.title, status: 'pass', evidence: plan.notes[0] ?? 'as wanted', reason: 'Nothing would change.'}}
			: {
					...base,
					fix: step.id,
					check: {
						id: `${step.id}:state`,
						title: step.title,
						status: 'fail',
						evidence: `would change: ${actions.map(action => (action.kind === 'command' ? `run "${action.title}"` : action.kind === 'dir' ? `mkdir ${action.path}` : `${action.before === null ? 'create' : 'edit'} ${action.path}`)).join('; ')}`,
						reason: firstSentence(step.why),
					},
				};
	const checks = (step.verify?.(context, facts) ?? []).map(check => ({...base, check, ...(check.status === 'fail' || check.status === 'warn' ? {fix: step.id} : {})}));
	return [state, ...checks];
}

function firstSentence(text: string): string {
	const end = text.search(/\.\s/);
	return end === -1 ? text : text.slice(0, end + 1);
}

export function failed(findings: readonly Finding[]): boolean {
	return findings.some(finding => finding.check.status === 'fail');
}
