// Several hosts per role: steps run on all of them in parallel (without prompts), and one failing host
// does not stop the others; resume picks each host up where it stopped.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, test} from 'node:test';
import {StepFailure} from '../../source/engine/errors.js';
import type {Step, Wizard} from '../../source/engine/types.js';
import {RootTarget} from '../../source/targets/root.js';
import type {Target} from '../../source/engine/target.js';
import type {RunRecord} from '../../source/store/runs.js';
import {answer, FakeTarget} from './fake-target.js';
import {runWizard, type WizardRun} from './run-wizard.js';

let base = '';
beforeEach(() => {
	base = mkdtempSync(join(tmpdir(), 'waymark-hosts-'));
});
afterEach(() => {
	rmSync(base, {recursive: true, force: true});
});

function fileStep(id: string, failOn?: string): Step {
	return {
		id,
		title: `write ${id}`,
		why: 'Writes one file per host, or refuses on one host.',
		role: 'node',
		facts: () => [{kind: 'file', key: 'f', path: `/${id}`}],
		plan(ctx, facts) {
			if (ctx.target.label === failOn) {
				throw new StepFailure(`${id} cannot run on ${failOn}`, 'Fix that host.');
			}

			return facts.get('f')?.exists ? {actions: [], notes: []} : {actions: [{kind: 'file', path: `/${id}`, before: null, after: id}], notes: []};
		},
	};
}

function run(wizard: Wizard, targets: Target[], record?: RunRecord): Promise<WizardRun> {
	return runWizard(base, wizard, targets, record);
}

test('a step runs on every host at once when nobody is asked anything', async () => {
	const slow: Step = {
		id: 'slow',
		title: 'slow',
		why: 'A command on each host; all of them start before any ends.',
		role: 'node',
		facts: () => [{kind: 'file', key: 'done', path: '/done'}],
		plan: (_ctx, facts) =>
			facts.get('done')?.exists ? {actions: [], notes: []} : {actions: [{kind: 'command', title: 'wait', script: 'touch /done'}], notes: []},
	};
	const touch = answer('touch /done', host => {
		host.files.set('/done', {text: '', mode: 0o644});
		return {};
	});
	const wizard: Wizard = {id: 'hosts', title: 'hosts', guide: 'none', summary: '', roles: ['node'], params: [], steps: [slow]};
	const hosts = ['ssh:a', 'ssh:b', 'ssh:c'].map(label => new FakeTarget({label, commands: [touch]}));
	const {events, status} = await run(wizard, hosts);
	assert.equal(status, 'done');
	const order = events.filter(event => event.type === 'step-start' || event.type === 'step-end').map(event => event.type);
	assert.deepEqual(order.slice(0, 3), ['step-start', 'step-start', 'step-start'], 'all three started before any ended');
	assert.deepEqual(
		hosts.map(host => host.ran),
		hosts.map(() => ['touch /done']),
	);
});

test('a re-run with nothing to do makes exactly one round trip per host', async () => {
	const wizard: Wizard = {id: 'hosts', title: 'hosts', guide: 'none', summary: '', roles: ['node'], params: [], steps: [fileStep('one'), fileStep('two')]};
	const hosts = ['ssh:a', 'ssh:b'].map(label => new FakeTarget({label, files: {'/one': 'one', '/two': 'two'}}));
	const {status, events} = await run(wizard, hosts);
	assert.equal(status, 'done');
	assert.ok(events.every(event => event.type !== 'step-end' || event.status === 'ok'));
	assert.deepEqual(
		hosts.map(host => ({reads: host.factReads, commands: host.ran.length})),
		hosts.map(() => ({reads: 1, commands: 0})),
	);
});

test('one failing host stops only itself; resume finishes it once fixed', async () => {
	const hosts = ['a', 'b'].map(name => {
		mkdirSync(join(base, name));
		return new RootTarget(join(base, name));
	});
	const failing = hosts[1]!.info.label;
	const broken: Wizard = {
		id: 'hosts',
		title: 'hosts',
		guide: 'none',
		summary: '',
		roles: ['node'],
		params: [],
		steps: [fileStep('one'), fileStep('two', failing), fileStep('three')],
	};
	const first = await run(broken, hosts);
	assert.equal(first.status, 'failed');
	assert.deepEqual(
		['one', 'two', 'three'].map(file => existsSync(join(base, 'a', file))),
		[true, true, true],
	);
	assert.deepEqual(
		['one', 'two', 'three'].map(file => existsSync(join(base, 'b', file))),
		[true, false, false],
	);
	assert.equal(first.record.units[`two@${failing}`]?.status, 'failed');
	const fixed: Wizard = {...broken, steps: [fileStep('one'), fileStep('two'), fileStep('three')]};
	const second = await run(fixed, hosts, first.record);
	assert.equal(second.status, 'done');
	assert.deepEqual(
		['one', 'two', 'three'].map(file => existsSync(join(base, 'b', file))),
		[true, true, true],
	);
	assert.deepEqual(
		second.events.filter(event => event.type === 'step-start').map(event => event.type === 'step-start' && `${event.stepId}@${event.target}`),
		[`two@${failing}`, `three@${failing}`],
	);
});
