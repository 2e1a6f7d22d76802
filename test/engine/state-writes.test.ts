// How often a run writes its state: a step that finds nothing to do is one write (its result), and a step that
// changes the host is saved running, with its follow-up, before its first edit.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import type {RunRecord, RunSink} from '../../source/engine/run-record.js';
import {startRun} from '../../source/engine/runner.js';
import type {Step, Wizard} from '../../source/engine/types.js';
import {LocalTarget} from '../../source/targets/local.js';
import {quote} from '../../source/targets/quote.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-writes-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

test('a step with nothing to do is saved once; a changing step is saved running before its edit, then with its result', async () => {
	const file = join(base, 'changed.conf');
	const noop = (id: string): Step => ({id, title: id, why: 'already so', role: 'node', facts: () => [], plan: () => ({actions: [], notes: []})});
	const change: Step = {
		id: 'change',
		title: 'change',
		why: 'writes a file',
		role: 'node',
		facts: () => [{kind: 'file', key: 'f', path: file}],
		plan: (_ctx, facts) => ({
			actions: facts.get('f')?.exists ? [] : [{kind: 'command', title: 'write it', script: `echo x > ${quote(file)}`}],
			notes: [],
		}),
	};
	const wizard: Wizard = {id: 'w', title: 'w', guide: 'none', summary: '', roles: ['node'], params: [], steps: [noop('a'), change, noop('b')]};
	const saves: Array<{units: Record<string, string>; fileThere: boolean}> = [];
	const sink: RunSink = {
		save(record: RunRecord) {
			saves.push({units: Object.fromEntries(Object.entries(record.units).map(([key, unit]) => [key.split('@')[0], unit.status])), fileThere: existsSync(file)});
			return record;
		},
	};
	const record: RunRecord = {
		id: 'w-1',
		guide: 'w',
		status: 'running',
		bindings: {node: ['local']},
		answers: {},
		options: {},
		units: {},
		order: [],
		created: '',
		updated: '',
	};
	const channel = startRun({
		wizard,
		record,
		targets: new Map([['node', [new LocalTarget()]]]),
		answers: {},
		secrets: new Map(),
		store: sink,
		transcriptPath: join(base, 't'),
		yes: true,
		dryRun: false,
		interactive: false,
		resumed: false,
	});
	assert.equal(await channel.done, 'done');
	assert.equal(readFileSync(file, 'utf8'), 'x\n');
	// Which saves carried each step, and in what state.
	const of = (id: string) => saves.filter(save => save.units[id] !== undefined).map(save => save.units[id]);
	assert.deepEqual(of('a').slice(0, 1), ['ok'], 'a no-op step is never saved as running');
	assert.equal(of('b')[0], 'ok');
	const running = saves.find(save => save.units['change'] === 'running');
	assert.ok(running, 'the changing step is saved running');
	assert.equal(running.fileThere, false, 'and that save comes before its edit');
	assert.ok(of('change').includes('changed'));
	// The order, then one save per no-op step, two for the changing one (running with its follow-up, then its
	// result, after verification), and the end of the run.
	assert.ok(saves.length <= 7, `${saves.length} saves: ${JSON.stringify(saves)}`);
});
