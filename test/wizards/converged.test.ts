// The property every step holds: on a converged host its verdict is ok (or skipped where it does not apply). A
// converged host is made, per step and per bound target, from a Debian host's facts, the step's own first plan fed
// back (files by path, dirs as made) and a small table of what its commands leave behind; judged the way run and
// check judge it. So each case also proves the step converges: its plan is empty after its own actions. A step
// added to a wizard without a case here fails, and so does a case for a step that no longer exists.
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {judge, type Verdict} from '../../source/engine/converge.js';
import {resolveAnswers} from '../../source/engine/params.js';
import type {Fact, FactRequest, Plan, Step, StepContext, Wizard} from '../../source/engine/types.js';
import {wizards} from '../../wizards/index.js';
import {cloudpipeCases} from './converged/cloudpipe.js';
import {debianCommands, debianFiles, factOf, type ConvergedCase, type Value, type Values, type WizardCases} from './converged/host.js';
import {hypervisorsCases} from './converged/hypervisors.js';
import {openvpnP2pCases} from './converged/openvpn-p2p.js';
import {uwsgiNodeCases} from './converged/uwsgi-node.js';
import {vpnMultinodeCases} from './converged/vpn-multinode.js';

const casesByWizard: Readonly<Record<string, WizardCases>> = {
	'uwsgi-node': uwsgiNodeCases,
	'openvpn-p2p': openvpnP2pCases,
	cloudpipe: cloudpipeCases,
	'vpn-multinode': vpnMultinodeCases,
	hypervisors: hypervisorsCases,
};

/** Facts that refuse to be read when nobody said what the host answers: an invented answer would prove nothing. */
class HostFacts extends Map<string, Fact> {
	constructor(
		entries: Iterable<readonly [string, Fact]>,
		readonly unknown: ReadonlyMap<string, string>,
	) {
		super(entries);
	}

	override get(key: string): Fact | undefined {
		const command = this.unknown.get(key);
		if (command !== undefined) {
			throw new Error(`fact ${key} (\`${command}\`) is read, but neither the Debian host nor the case says what it returns`);
		}

		return super.get(key);
	}
}

function resolve<A extends unknown[]>(values: Values | ((...args: A) => Values) | undefined, ...args: A): Values {
	return typeof values === 'function' ? values(...args) : (values ?? {});
}

function valueFor(request: FactRequest, own: Values): Value | undefined {
	if (Object.hasOwn(own, request.key)) {
		return own[request.key];
	}

	if (request.kind === 'command') {
		return Object.hasOwn(debianCommands, request.command) ? debianCommands[request.command] : undefined;
	}

	// On a converged host a new login works.
	if (request.kind === 'login') {
		return '';
	}

	// Files and dirs the Debian host does not ship are missing until a step makes them.
	return request.kind === 'file' && Object.hasOwn(debianFiles, request.path) ? debianFiles[request.path]! : null;
}

/** The host's answers to these requests before the step runs. */
function beforeFacts(requests: readonly FactRequest[], own: Values): HostFacts {
	const known = new Set(requests.map(request => request.key));
	const typos = Object.keys(own).filter(key => !known.has(key));
	assert.deepEqual(typos, [], 'the case names facts the step does not read');
	const facts: Array<[string, Fact]> = [];
	const unknown = new Map<string, string>();
	for (const request of requests) {
		const value = valueFor(request, own);
		if (value === undefined) {
			unknown.set(request.key, request.kind === 'command' ? request.command : request.kind === 'login' ? 'a new login' : request.path);
		} else {
			facts.push([request.key, factOf(request, value)]);
		}
	}

	return new HostFacts(facts, unknown);
}

/**
 * The host once the plan ran: written files read back with their new text (an existing file keeps its mode, a
 * secret gets its own, as the write script does), made dirs exist, and what the commands changed as the case says.
 */
function afterFacts(requests: readonly FactRequest[], before: HostFacts, plan: Plan, changed: Values): HostFacts {
	const facts = new Map(before);
	for (const action of plan.actions) {
		for (const request of requests) {
			if (action.kind === 'file' && request.kind === 'file' && request.path === action.path) {
				const previous = facts.get(request.key);
				const mode = action.secret ? (action.mode ?? 0o600) : previous?.exists ? (previous.mode ?? 0o644) : (action.mode ?? 0o644);
				facts.set(request.key, {key: request.key, exists: true, text: action.after, exitCode: 0, mode});
			} else if (action.kind === 'dir' && request.kind === 'dir' && request.path === action.path) {
				facts.set(request.key, {key: request.key, exists: true, text: '', exitCode: 0});
			}
		}
	}

	const unknown = new Map(before.unknown);
	for (const [key, value] of Object.entries(changed)) {
		const request = requests.find(each => each.key === key);
		assert.ok(request, `the case changes fact ${key}, which the step does not read`);
		facts.set(key, factOf(request, value));
		unknown.delete(key);
	}

	return new HostFacts(facts, unknown);
}

function describe(verdict: Verdict): string {
	switch (verdict.kind) {
		case 'todo': {
			return `todo: ${verdict.actions.map(action => (action.kind === 'command' ? `command "${action.title}"` : `${action.kind} ${action.path}`)).join('; ')}`;
		}

		case 'ok': {
			const warnings = verdict.checks.filter(check => check.status !== 'pass');
			return `ok: ${verdict.message}${warnings.length > 0 ? ` [${warnings.map(check => `${check.id} ${check.status}: ${check.evidence}`).join('; ')}]` : ''}`;
		}

		default: {
			const checks = verdict.checks.map(check => `${check.id} ${check.status}`);
			return `${verdict.kind}: ${verdict.message}${checks.length > 0 ? ` [${checks.join(', ')}]` : ''}`;
		}
	}
}

function contexts(wizard: Wizard, cases: WizardCases, answers: Readonly<Record<string, unknown>>, step: Step): StepContext[] {
	const resolved = resolveAnswers(wizard, answers);
	assert.deepEqual([resolved.errors, resolved.missing.map(param => param.name)], [[], []], 'the answers are valid');
	const targets = cases.bindings[step.role] ?? [];
	assert.ok(targets.length > 0, `no target is bound to role ${step.role}`);
	return targets.map(target => ({answers: resolved.answers, target, bindings: cases.bindings, secrets: cases.secrets}));
}

/** Judges one step on one converged host; returns what its first plan did, for the diagnostics. */
function converged(step: Step, ctx: StepContext, spec: ConvergedCase): {first: Plan; verdict: Verdict} {
	const requests = step.facts(ctx);
	const before = beforeFacts(requests, resolve(spec.before, ctx));
	const first = step.plan(ctx, before);
	const after = afterFacts(requests, before, first, resolve(spec.after, ctx, first));
	// Read every check once on the strict facts, so a check that reads an unknown fact fails loudly here too.
	step.verify?.(ctx, after);
	return {first, verdict: judge(step, ctx, after, {live: true})};
}

for (const wizard of wizards) {
	const cases = casesByWizard[wizard.id];
	test(`${wizard.id}: every step has a converged case, and every case a step`, () => {
		assert.ok(cases, `no converged cases for wizard ${wizard.id}: add test/wizards/converged/${wizard.id}.ts`);
		const steps = wizard.steps.map(step => step.id);
		assert.deepEqual(
			steps.filter(id => !cases.steps[id]),
			[],
			'steps without a converged case',
		);
		assert.deepEqual(
			Object.keys(cases.steps).filter(id => !steps.includes(id)),
			[],
			'cases for steps the wizard does not have',
		);
	});

	for (const step of wizard.steps) {
		test(`${wizard.id} ${step.id}: ok on a converged host`, t => {
			const spec = cases?.steps[step.id];
			assert.ok(spec, `${step.id} has no converged case in test/wizards/converged/${wizard.id}.ts`);
			holds(t, wizard, cases!, cases!.answers, step, spec);
		});
	}

	for (const variant of cases?.variants ?? []) {
		for (const [id, spec] of Object.entries(variant.steps)) {
			test(`${wizard.id} ${id} (${variant.name}): ok on a converged host`, t => {
				const step = wizard.steps.find(each => each.id === id);
				assert.ok(step, `variant ${variant.name} names ${id}, which ${wizard.id} does not have`);
				holds(t, wizard, cases!, {...cases!.answers, ...variant.answers}, step, spec);
			});
		}
	}
}

/** The property on every target bound to the step's role. */
function holds(t: TestContext, wizard: Wizard, cases: WizardCases, answers: Readonly<Record<string, unknown>>, step: Step, spec: ConvergedCase): void {
	for (const ctx of contexts(wizard, cases, answers, step)) {
		const {first, verdict} = converged(step, ctx, spec);
		t.diagnostic(`${ctx.target.label}: first plan ${first.actions.length} action(s), then ${describe(verdict)}`);
		assert.equal(verdict.kind, spec.verdict ?? 'ok', `${ctx.target.label}: ${describe(verdict)}`);
	}
}
