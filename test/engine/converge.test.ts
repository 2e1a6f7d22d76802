// The ok/failed/deferred decision `run` and `check` share, as a table: plan and checks in, verdict out.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judge} from '../../source/engine/converge.js';
import type {Action, Check, CheckStatus, Fact, Plan, Step, StepContext} from '../../source/engine/types.js';

const ctx: StepContext = {answers: {}, target: {kind: 'ssh', label: 'ssh:node1'}, bindings: {}, secrets: new Map()};
const file: Action = {kind: 'file', path: '/etc/pam.d/sshd', before: 'a\n', after: 'a\nb\n'};
const build: Action = {kind: 'command', title: 'Build the module', script: 'make'};
const reload: Action = {kind: 'command', title: 'Reload sshd', script: 'kill -HUP 1'};

function check(status: CheckStatus): Check {
	return {id: 'c', title: 'module installed', status, evidence: 'no libpam_x.so', reason: 'a missing module fails every login'};
}

interface Case {
	readonly name: string;
	readonly actions: readonly Action[];
	readonly check?: CheckStatus;
	readonly live: boolean;
	readonly risk?: Step['risk'];
	/** The check reads a command fact, which an offline target cannot answer. */
	readonly readsCommand?: boolean;
	readonly unmet?: Plan['unmet'];
	readonly expected: 'ok' | 'todo' | 'failed' | 'deferred' | 'skipped';
	/** For `todo`: how many actions are left to do here. */
	readonly doable?: number;
}

const cases: readonly Case[] = [
	{name: 'empty plan, no checks', actions: [], live: true, expected: 'ok'},
	{name: 'empty plan, passing check', actions: [], check: 'pass', live: true, expected: 'ok'},
	{name: 'empty plan, a warning is still ok', actions: [], check: 'warn', live: true, expected: 'ok'},
	{name: 'empty plan, failing check: never ok', actions: [], check: 'fail', live: true, expected: 'failed'},
	{name: 'something to change: todo, checks come after apply', actions: [file], check: 'fail', live: true, expected: 'todo', doable: 1},
	{
		name: 'a step that says it cannot finish here (the kernel)',
		actions: [],
		live: true,
		unmet: {status: 'deferred', reason: 'no quota format in the kernel', remedy: 'boot a kernel with quota'},
		expected: 'deferred',
	},
	{
		name: 'a step that does not apply here (a container)',
		actions: [],
		live: true,
		check: 'pass',
		unmet: {status: 'skipped', reason: 'a container has no bootloader', remedy: 'set it on the machine that runs it'},
		expected: 'skipped',
	},
	{name: 'offline: files are done here, commands left out', actions: [file, reload], live: false, expected: 'todo', doable: 1},
	{name: 'offline: only commands left: deferred, never ok', actions: [reload], live: false, expected: 'deferred'},
	{name: 'offline: commands left beat a failing check', actions: [reload], check: 'fail', live: false, readsCommand: true, expected: 'deferred'},
	{name: 'offline lockout edit after a build: deferred as a whole', actions: [build, file], live: false, risk: 'lockout', expected: 'deferred'},
	{name: 'offline lockout edit with a follow-up only: the file is written', actions: [file, reload], live: false, risk: 'lockout', expected: 'todo', doable: 1},
	{name: 'offline: a check that needs the live host waits', actions: [], check: 'fail', live: false, readsCommand: true, expected: 'deferred'},
	{name: 'offline: a check made from files alone still fails', actions: [], check: 'fail', live: false, expected: 'failed'},
	{name: 'live: a lockout build and edit is todo', actions: [build, file], live: true, risk: 'lockout', expected: 'todo', doable: 2},
];

for (const each of cases) {
	test(`verdict: ${each.name}`, () => {
		const facts = new Map<string, Fact>([['conf', {key: 'conf', exists: true, text: 'x', exitCode: 0}]]);
		if (!each.live && each.readsCommand) {
			facts.set('daemon', {key: 'daemon', exists: false, text: '', exitCode: 127, unavailable: true});
		}

		const step: Step = {
			id: 'demo',
			title: 'Demo',
			why: 'Demo.',
			role: 'node',
			...(each.risk ? {risk: each.risk} : {}),
			facts: () => [],
			plan: () => ({actions: each.actions, notes: ['as wanted'], ...(each.unmet ? {unmet: each.unmet} : {})}),
			...(each.check
				? {
						verify: (_ctx, seen) => {
							seen.get(each.readsCommand ? 'daemon' : 'conf');
							return [check(each.check!)];
						},
					}
				: {}),
		};
		const verdict = judge(step, ctx, facts, {live: each.live});
		assert.equal(verdict.kind, each.expected);
		if (verdict.kind === 'todo') {
			assert.equal(verdict.actions.length, each.doable);
		}

		if (verdict.kind === 'failed') {
			assert.match(verdict.message, /module installed failed \(no libpam_x\.so\)/);
		}
	});
}

test('verdict: a plan that cannot be made is a failure with its remedy, not a crash', async () => {
	const {StepFailure} = await import('../../source/engine/errors.js');
	const step: Step = {
		id: 'demo',
		title: 'Demo',
		why: 'Demo.',
		role: 'node',
		facts: () => [],
		plan: () => {
			throw new StepFailure('no apt-get here', 'install it');
		},
	};
	const verdict = judge(step, ctx, new Map(), {live: true});
	assert.deepEqual(verdict, {kind: 'failed', message: 'no apt-get here', remedy: 'install it', checks: []});
});
