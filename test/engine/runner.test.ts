import {test, beforeEach, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startRun} from '../../source/engine/runner.js';
import type {EngineEvent, PromptChoice, RunStatus, Step, Wizard} from '../../source/engine/types.js';
import {RootTarget} from '../../source/targets/root.js';
import {LocalTarget} from '../../source/targets/local.js';
import {quote} from '../../source/targets/quote.js';
import type {Target} from '../../source/engine/target.js';
import {RunStore, type RunRecord} from '../../source/store/runs.js';
import {Transcript, transcriptPath} from '../../source/store/transcript.js';

let base = '';
let home = '';

beforeEach(() => {
	base = mkdtempSync(join(tmpdir(), 'waymark-runner-'));
	home = join(base, 'home');
});

afterEach(() => {
	rmSync(base, {recursive: true, force: true});
});

const secretValue = 'S3cr3t-Value-That-Must-Not-Leak-0123456789';

function demoWizard(root: string, extra: Step[] = []): Wizard {
	const conf = join(root, 'demo.conf');
	const marker = join(root, 'marker');
	const key = join(root, 'demo.key');
	return {
		id: 'demo',
		title: 'Demo',
		guide: 'none',
		summary: 'test wizard',
		roles: ['node'],
		params: [{name: 'greeting', type: 'string', help: 'text', default: 'hello'}],
		steps: [
			{
				id: 'conf',
				title: 'Write demo.conf',
				why: 'A file whose content comes from an answer.',
				role: 'node',
				facts: () => [{kind: 'file', key: 'conf', path: conf}],
				plan(ctx, facts) {
					const before = facts.get('conf')?.exists ? facts.get('conf')!.text : null;
					const after = `greeting=${String(ctx.answers.greeting)}\n`;
					return {actions: before === after ? [] : [{kind: 'file', path: conf, before, after}], notes: []};
				},
			},
			{
				id: 'marker',
				title: 'Run a command',
				why: 'A command that leaves a marker behind.',
				role: 'node',
				facts: () => [{kind: 'command', key: 'marker', command: `cat ${quote(marker)}`}],
				plan(_ctx, facts) {
					return facts.get('marker')?.exitCode === 0
						? {actions: [], notes: ['marker present']}
						: {actions: [{kind: 'command', title: 'make the marker', script: `echo working; echo done > ${quote(marker)}`}], notes: []};
				},
			},
			{
				id: 'key',
				title: 'Install a key',
				why: 'A secret file: mode 0600, never shown.',
				role: 'node',
				facts: () => [{kind: 'file', key: 'key', path: key}],
				plan(ctx, facts) {
					const value = ctx.secrets.get('key')!;
					return facts.get('key')?.text === value
						? {actions: [], notes: []}
						: {actions: [{kind: 'file', path: key, before: null, after: value, secret: true, mode: 0o600}], notes: []};
				},
			},
			...extra,
		],
	};
}

interface Outcome {
	status: RunStatus;
	events: EngineEvent[];
	record: RunRecord;
}

async function run(
	wizard: Wizard,
	options: {
		record?: RunRecord;
		yes?: boolean;
		dryRun?: boolean;
		interactive?: boolean;
		target?: Target;
		onEvent?: (event: EngineEvent, interrupt: () => void, decide: (promptId: string, choice: PromptChoice) => void) => void;
	} = {},
): Promise<Outcome> {
	const store = new RunStore(home);
	const record =
		options.record ??
		store.create({
			id: store.newId(wizard.id),
			guide: wizard.id,
			status: 'running',
			bindings: {node: ['local']},
			answers: {greeting: 'hello'},
			options: {},
			units: {},
			order: [],
		});
	const path = transcriptPath(home, record.id);
	const channel = startRun({
		wizard,
		record,
		targets: new Map([['node', [options.target ?? new LocalTarget()]]]),
		answers: {greeting: 'hello'},
		secrets: new Map([['key', secretValue]]),
		store: options.dryRun ? undefined : store,
		transcript: options.dryRun ? undefined : new Transcript(path),
		transcriptPath: path,
		yes: options.yes ?? true,
		dryRun: options.dryRun ?? false,
		interactive: options.interactive ?? false,
		resumed: options.record !== undefined,
		outputFlushMs: 5,
	});
	const events: EngineEvent[] = [];
	channel.subscribe(event => {
		events.push(event);
		options.onEvent?.(
			event,
			() => channel.interrupt(),
			(promptId, choice) => channel.decide(promptId, choice),
		);
	});
	const status = await channel.done;
	return {status, events, record: store.load(record.id) ?? record};
}

function end(events: EngineEvent[]) {
	const last = events.at(-1);
	assert.equal(last?.type, 'run-end');
	return last as Extract<EngineEvent, {type: 'run-end'}>;
}

test('a first run changes, a second run reports changed: 0', async () => {
	const wizard = demoWizard(base);
	const first = await run(wizard);
	assert.equal(first.status, 'done');
	assert.deepEqual(end(first.events).counts, {ok: 0, changed: 3, failed: 0, skipped: 0, deferred: 0});
	assert.equal(readFileSync(join(base, 'demo.conf'), 'utf8'), 'greeting=hello\n');
	const second = await run(wizard);
	assert.deepEqual(end(second.events).counts, {ok: 3, changed: 0, failed: 0, skipped: 0, deferred: 0});
	// One round trip for all the facts of the second run, none after; the platform is read in it.
	assert.equal(second.events.filter(event => event.type === 'facts').length, 1);
	const preflight = second.events.find(event => event.type === 'preflight');
	assert.ok(preflight?.type === 'preflight' && /\d/.test(preflight.platform.kernel ?? ''));
});

test('live output arrives in batches and is kept in the transcript', async () => {
	const {events, record} = await run(demoWizard(base));
	const output = events.filter(event => event.type === 'output');
	assert.deepEqual(
		output.flatMap(event => event.lines),
		['working'],
	);
	const transcript = readFileSync(transcriptPath(home, record.id), 'utf8');
	assert.match(transcript, /"type":"output".*working/);
});

test('secrets never reach events, transcripts or run state', async () => {
	const {events, record} = await run(demoWizard(base));
	assert.equal(readFileSync(join(base, 'demo.key'), 'utf8'), secretValue);
	assert.ok(!JSON.stringify(events).includes(secretValue));
	assert.ok(!readFileSync(transcriptPath(home, record.id), 'utf8').includes(secretValue));
	for (const file of readdirSync(join(home, 'runs'))) {
		assert.ok(!readFileSync(join(home, 'runs', file), 'utf8').includes(secretValue));
	}

	const plan = events.find(event => event.type === 'plan' && event.stepId === 'key');
	assert.match(JSON.stringify(plan), /content not shown/);
});

test('without a terminal and without --yes, a needed prompt fails naming --yes; nothing changes', async () => {
	const {status, events} = await run(demoWizard(base), {yes: false, interactive: false});
	assert.equal(status, 'failed');
	const failed = events.find(event => event.type === 'step-end' && event.status === 'failed');
	assert.ok(failed && failed.type === 'step-end');
	assert.match(failed.remedy ?? '', /--yes/);
	assert.equal(existsSync(join(base, 'demo.conf')), false);
});

test('--dry-run shows every plan and changes nothing', async () => {
	const {status, events} = await run(demoWizard(base), {dryRun: true});
	assert.equal(status, 'done');
	assert.equal(events.filter(event => event.type === 'plan').length, 3);
	assert.equal(existsSync(join(base, 'demo.conf')), false);
	assert.equal(existsSync(join(base, 'marker')), false);
	assert.deepEqual(end(events).counts, {ok: 0, changed: 0, failed: 0, skipped: 3, deferred: 0});
});

test('interrupted mid-step, the run resumes from the step in flight and skips finished ones', async () => {
	const slow: Step = {
		id: 'slow',
		title: 'A slow command',
		why: 'Long enough to be interrupted while it runs.',
		role: 'node',
		facts: () => [{kind: 'command', key: 'done', command: `cat ${quote(join(base, 'slow-done'))}`}],
		plan: (_ctx, facts) =>
			facts.get('done')?.exitCode === 0
				? {actions: [], notes: []}
				: {actions: [{kind: 'command', title: 'slow', script: `echo started; sleep 2; touch ${quote(join(base, 'slow-done'))}`}], notes: []},
	};
	const wizard = demoWizard(base, [slow]);
	const first = await run(wizard, {
		onEvent(event, interrupt) {
			if (event.type === 'output' && event.stepId === 'slow') {
				interrupt();
			}
		},
	});
	assert.equal(first.status, 'interrupted');
	assert.equal(first.record.units['slow@local']?.status, 'running');
	assert.equal(first.record.units['conf@local']?.status, 'changed');
	const second = await run(wizard, {record: first.record});
	assert.equal(second.status, 'done');
	assert.deepEqual(end(second.events).counts, {ok: 3, changed: 1, failed: 0, skipped: 0, deferred: 0});
	assert.deepEqual(
		second.events.filter(event => event.type === 'step-start').map(event => event.type === 'step-start' && event.stepId),
		['slow'],
	);
});

test('on resume, drift of a finished step is reported and the step runs again', async () => {
	const wizard = demoWizard(base);
	const first = await run(wizard);
	writeFileSync(join(base, 'demo.conf'), 'greeting=tampered\n');
	const again = await run(wizard, {record: first.record});
	const drift = again.events.find(event => event.type === 'drift');
	assert.ok(drift && drift.type === 'drift');
	assert.equal(drift.stepId, 'conf');
	assert.equal(readFileSync(join(base, 'demo.conf'), 'utf8'), 'greeting=hello\n');
});

test('a step whose change does not stick fails with a remedy', async () => {
	const stubborn: Step = {
		id: 'stubborn',
		title: 'Never converges',
		why: 'Its plan is never empty, like a setting something else keeps undoing.',
		role: 'node',
		facts: () => [],
		plan: () => ({actions: [{kind: 'command', title: 'noop', script: 'true'}], notes: []}),
	};
	const {status, events} = await run(demoWizard(base, [stubborn]));
	assert.equal(status, 'failed');
	const failed = events.find(event => event.type === 'step-end' && event.status === 'failed');
	assert.ok(failed && failed.type === 'step-end');
	assert.match(failed.message, /still differs/);
	assert.ok(failed.remedy);
});

test('short secrets and secrets with quotes or backslashes are redacted everywhere, even in failure messages', async () => {
	const short = 'hunter2';
	const quoted = 'pa"ss\\word';
	const leaky: Step = {
		id: 'leaky',
		title: 'A command that prints secrets and fails',
		why: 'Output and error messages may carry a secret; none of it may be kept.',
		role: 'node',
		facts: () => [],
		plan: () => ({actions: [{kind: 'command', title: 'leak', script: `printf 'token=%s\\n' ${short}; printf '%s\\n' '${quoted}' >&2; exit 1`}], notes: []}),
	};
	const wizard: Wizard = {id: 'leaky', title: 'leaky', guide: 'none', summary: '', roles: ['node'], params: [], steps: [leaky]};
	const store = new RunStore(home);
	const record = store.create({
		id: store.newId('leaky'),
		guide: 'leaky',
		status: 'running',
		bindings: {node: ['local']},
		answers: {},
		options: {},
		units: {},
		order: [],
	});
	const path = transcriptPath(home, record.id);
	const secrets = new Map([
		['a', short],
		['b', quoted],
	]);
	const channel = startRun({
		wizard,
		record,
		targets: new Map([['node', [new LocalTarget()]]]),
		answers: {},
		secrets,
		store,
		transcript: new Transcript(path),
		transcriptPath: path,
		yes: true,
		dryRun: false,
		interactive: false,
		resumed: false,
		outputFlushMs: 5,
	});
	const events: EngineEvent[] = [];
	channel.subscribe(event => events.push(event));
	assert.equal(await channel.done, 'failed');
	const failed = events.find(event => event.type === 'step-end');
	assert.match(JSON.stringify(failed), /\[secret\]/);
	for (const text of [JSON.stringify(events), readFileSync(path, 'utf8'), readFileSync(join(home, 'runs', `${record.id}.json`), 'utf8')]) {
		assert.ok(!text.includes(short), 'short secret');
		assert.ok(!text.includes('pa\\"ss') && !text.includes('pa"ss'), 'quoted secret');
	}
});

test('a step whose check fails stays failed on retry: an empty plan is not ok while the host is wrong', async () => {
	const conf = join(base, 'pam.conf');
	// Like a PAM line written for a module that is not there: the edit sticks, the check keeps failing.
	const unsafe: Step = {
		id: 'unsafe',
		title: 'Name a module in the PAM stack',
		why: 'A line for a missing module fails every login.',
		role: 'node',
		facts: () => [{kind: 'file', key: 'conf', path: conf}],
		plan: (_ctx, facts) =>
			facts.get('conf')?.exists
				? {actions: [], notes: ['line present']}
				: {actions: [{kind: 'file', path: conf, before: null, after: 'session required pam_missing.so\n'}], notes: []},
		verify: () => [{id: 'module', title: 'pam_missing.so installed', status: 'fail', evidence: 'no pam_missing.so', reason: 'Install the module first.'}],
	};
	const wizard: Wizard = {id: 'unsafe', title: 'unsafe', guide: 'none', summary: '', roles: ['node'], params: [], steps: [unsafe]};
	let prompts = 0;
	const first = await run(wizard, {
		interactive: true,
		onEvent(event, _interrupt, decide) {
			if (event.type === 'prompt' && event.kind === 'failed') {
				prompts++;
				decide(event.promptId, prompts === 1 ? 'retry' : 'abort');
			}
		},
	});
	assert.equal(prompts, 2, 'the retry failed again and asked again');
	const ends = first.events.filter(event => event.type === 'step-end');
	assert.deepEqual(
		ends.map(event => event.type === 'step-end' && event.status),
		['failed', 'failed'],
	);
	assert.match(ends[1]!.type === 'step-end' ? ends[1]!.message : '', /pam_missing\.so installed failed \(no pam_missing\.so\)/);
	assert.equal(first.status, 'failed');
	assert.equal(end(first.events).counts.ok, 0);
	// A new run agrees: nothing to apply, and still failed.
	const second = await run(wizard);
	assert.equal(second.status, 'failed');
	assert.deepEqual(end(second.events).counts, {ok: 0, changed: 0, failed: 1, skipped: 0, deferred: 0});
});

test('on an offline root:DIR, commands are deferred every time, and a lockout edit that needs a build writes nothing', async () => {
	const image = join(base, 'image');
	const steps: Step[] = [
		{
			id: 'firewall',
			title: 'Firewall rules',
			why: 'Only commands: nothing can be done on an image.',
			role: 'node',
			facts: () => [{kind: 'command', key: 'rules', command: 'iptables -S'}],
			plan: () => ({actions: [{kind: 'command', title: 'iptables -A …', script: 'true'}], notes: []}),
		},
		{
			id: 'pam',
			title: 'PAM line',
			why: 'Needs its module built first.',
			role: 'node',
			risk: 'lockout',
			facts: () => [{kind: 'file', key: 'pam', path: '/etc/pam.d/sshd'}],
			plan: () => ({
				actions: [
					{kind: 'command', title: 'Build the module', script: 'make'},
					{kind: 'file', path: '/etc/pam.d/sshd', before: null, after: 'session required pam_x.so\n'},
				],
				notes: [],
			}),
		},
	];
	const wizard: Wizard = {id: 'offline', title: 'offline', guide: 'none', summary: '', roles: ['node'], params: [], steps};
	for (const round of [1, 2]) {
		const outcome = await run(wizard, {target: new RootTarget(image)});
		assert.equal(outcome.status, 'done', `round ${round}`);
		assert.deepEqual(end(outcome.events).counts, {ok: 0, changed: 0, failed: 0, skipped: 0, deferred: 2}, `round ${round}`);
		const messages = outcome.events.flatMap(event => (event.type === 'step-end' ? [event.message] : []));
		assert.match(messages[0]!, /wait for the live host: iptables -A/);
		assert.match(messages[1]!, /Build the module must run before this change is safe/);
	}

	assert.equal(existsSync(join(image, 'etc/pam.d/sshd')), false, 'the image never gets a line that locks out its first boot');
});
