// Several hosts per role: steps run on all of them in parallel (without prompts), and one failing host
// does not stop the others; resume picks each host up where it stopped.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, test} from 'node:test';
import {StepFailure} from '../../source/engine/errors.js';
import {startRun} from '../../source/engine/runner.js';
import type {EngineEvent, RunStatus, Step, Wizard} from '../../source/engine/types.js';
import {LocalTarget} from '../../source/targets/local.js';
import {RootTarget} from '../../source/targets/root.js';
import type {Target} from '../../source/engine/target.js';
import {RunStore, type RunRecord} from '../../source/store/runs.js';

let base = '';
beforeEach(() => {
	base = mkdtempSync(join(tmpdir(), 'waymark-hosts-'));
});
afterEach(() => {
	rmSync(base, {recursive: true, force: true});
});

/** A local target under another name, as a second host would be. */
class NamedLocal extends LocalTarget {
	override readonly info;
	constructor(label: string) {
		super();
		this.info = {kind: 'ssh' as const, label};
	}
}

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

async function run(wizard: Wizard, targets: Target[], record?: RunRecord): Promise<{status: RunStatus; events: EngineEvent[]; record: RunRecord}> {
	const store = new RunStore(join(base, 'home'));
	const saved =
		record ??
		store.create({
			id: store.newId('hosts'),
			guide: 'hosts',
			status: 'running',
			bindings: {node: targets.map(target => target.info.label)},
			answers: {},
			options: {},
			units: {},
			order: [],
		});
	const channel = startRun({
		wizard,
		record: saved,
		targets: new Map([['node', targets]]),
		answers: {},
		secrets: new Map(),
		store,
		transcriptPath: join(base, 't'),
		yes: true,
		dryRun: false,
		interactive: false,
		resumed: record !== undefined,
		forks: 5,
	});
	const events: EngineEvent[] = [];
	channel.subscribe(event => events.push(event));
	const status = await channel.done;
	return {status, events, record: store.load(saved.id)!};
}

test('a step runs on every host at once when nobody is asked anything', async () => {
	const marker = (label: string) => join(base, `${label.replace(':', '-')}.done`);
	const slow: Step = {
		id: 'slow',
		title: 'slow',
		why: 'Takes a moment on each host, long enough to overlap.',
		role: 'node',
		facts: ctx => [{kind: 'file', key: 'done', path: marker(ctx.target.label)}],
		plan: (ctx, facts) =>
			facts.get('done')?.exists
				? {actions: [], notes: []}
				: {actions: [{kind: 'command', title: 'wait', script: `sleep 0.5; touch ${marker(ctx.target.label)}`}], notes: []},
	};
	const wizard: Wizard = {id: 'hosts', title: 'hosts', guide: 'none', summary: '', roles: ['node'], params: [], steps: [slow]};
	const {events} = await run(wizard, [new NamedLocal('ssh:a'), new NamedLocal('ssh:b'), new NamedLocal('ssh:c')]);
	const order = events.filter(event => event.type === 'step-start' || event.type === 'step-end').map(event => event.type);
	assert.deepEqual(order.slice(0, 3), ['step-start', 'step-start', 'step-start'], 'all three started before any ended');
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
