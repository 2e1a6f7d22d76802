// A connection lost mid-step is not the step's failure: the run stops as interrupted, the unit is left to resume,
// the end says what may still be running on the host (with ssh's own reason), and a resume finishes the work.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, test} from 'node:test';
import {ConnectionLost, type RunOptions, type RunResult} from '../../source/engine/target.js';
import type {PromptChoice, Step, Wizard} from '../../source/engine/types.js';
import type {RunRecord} from '../../source/store/runs.js';
import {FakeTarget} from './fake-target.js';
import {runWizard, type WizardRun} from './run-wizard.js';

let base = '';
beforeEach(() => {
	base = mkdtempSync(join(tmpdir(), 'waymark-lost-'));
});
afterEach(() => {
	rmSync(base, {recursive: true, force: true});
});

/** A host whose link goes away while `apt-get` runs, until `restore()`. */
class FlakyTarget extends FakeTarget {
	cut = true;
	override async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		if (this.cut && script.includes('apt-get')) {
			throw new ConnectionLost(this.info.label, 'Connection to 10.0.0.5 closed by remote host.', {pid: 4711, session: true});
		}

		return super.run(script, options);
	}
}

const install: Step = {
	id: 'install',
	title: 'Install the packages',
	why: 'A long command on the host, during which the link drops.',
	role: 'node',
	facts: () => [{kind: 'file', key: 'done', path: '/installed'}],
	plan: (_ctx, facts) =>
		facts.get('done')?.exists
			? {actions: [], notes: []}
			: {actions: [{kind: 'command', title: 'apt-get install', script: 'apt-get install -y git'}], notes: []},
};

const after: Step = {
	id: 'after',
	title: 'The step after',
	why: 'Must not run once the link is gone.',
	role: 'node',
	facts: () => [{kind: 'file', key: 'f', path: '/after'}],
	plan: (_ctx, facts) => (facts.get('f')?.exists ? {actions: [], notes: []} : {actions: [{kind: 'file', path: '/after', before: null, after: 'x'}], notes: []}),
};

const wizard: Wizard = {id: 'lost', title: 'lost', guide: 'none', summary: 'Two steps.', roles: ['node'], params: [], steps: [install, after]};

function run(target: FakeTarget, record?: RunRecord): Promise<WizardRun> {
	return runWizard(base, wizard, [target], record);
}

test('a lost connection ends the run interrupted, names ssh’s reason and the orphaned pid, and runs nothing more', async () => {
	const host = new FlakyTarget({
		label: 'ssh:root@node1',
		commands: [
			(script, fake) => {
				if (!script.includes('apt-get')) {
					return undefined;
				}

				fake.files.set('/installed', {text: '', mode: 0o644});
				return {exitCode: 0, stdout: '', stderr: ''};
			},
		],
	});
	const {status, events, record} = await run(host);
	assert.equal(status, 'interrupted');
	const end = events.find(event => event.type === 'run-end');
	assert.ok(end?.type === 'run-end' && end.lost);
	assert.equal(end.lost.target, 'ssh:root@node1');
	assert.equal(end.lost.stepId, 'install');
	assert.equal(end.lost.reason, 'Connection to 10.0.0.5 closed by remote host.');
	assert.match(end.lost.message, /lost during "Install the packages": Connection to 10\.0\.0\.5 closed by remote host\./);
	assert.match(end.lost.message, /still be running there \(pid 4711\): `ssh root@node1 head -n 3 \/proc\/4711\/status` shows it/);
	assert.equal(end.lost.remedy, `When the host answers again: waymark resume ${record.id}`);
	// Not a failure of the step, and the next step never started.
	assert.equal(events.filter(event => event.type === 'step-end' && event.status === 'failed').length, 0);
	assert.equal(events.filter(event => event.type === 'step-start' && event.stepId === 'after').length, 0);
	assert.equal(host.files.has('/after'), false);
	assert.equal(record.status, 'interrupted');

	host.cut = false;
	const resumed = await run(host, record);
	assert.equal(resumed.status, 'done');
	assert.equal(host.files.has('/installed') && host.files.has('/after'), true);
	const resumedEnd = resumed.events.find(event => event.type === 'run-end');
	assert.ok(resumedEnd?.type === 'run-end' && resumedEnd.lost === undefined);
});

/** A config file and the reload that makes the service take it; the link drops during the reload until `cut` is false. */
class ReloadCutTarget extends FakeTarget {
	cut = true;
	reloads = 0;
	override async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		if (script === 'reload service') {
			if (this.cut) {
				throw new ConnectionLost(this.info.label, 'Broken pipe');
			}

			this.reloads++;
			return {exitCode: 0, stdout: '', stderr: ''};
		}

		return super.run(script, options);
	}
}

const configure: Step = {
	id: 'configure',
	title: 'Configure the service',
	why: 'A file edit and the reload that follows it.',
	role: 'node',
	facts: () => [{kind: 'file', key: 'conf', path: '/etc/service.conf'}],
	plan: (_ctx, facts) =>
		facts.get('conf')?.text === 'wanted\n'
			? {actions: [], notes: []}
			: {
					actions: [
						{kind: 'file', path: '/etc/service.conf', before: null, after: 'wanted\n'},
						{kind: 'command', title: 'Reload the service', script: 'reload service'},
					],
					notes: [],
				},
};

test('a run cut between the edit and its reload leaves the reload pending: resume runs it though the files look done', async () => {
	const host = new ReloadCutTarget({label: 'ssh:root@node1'});
	const reloadWizard: Wizard = {...wizard, id: 'reload', steps: [configure]};
	const first = await runWizard(base, reloadWizard, [host]);
	assert.equal(first.status, 'interrupted');
	assert.equal(host.files.get('/etc/service.conf')?.text, 'wanted\n', 'the edit was made before the link went');
	assert.deepEqual(first.record.units['configure@ssh:root@node1']?.followUp, [{title: 'Reload the service', script: 'reload service'}]);

	host.cut = false;
	const resumed = await runWizard(base, reloadWizard, [host], first.record);
	assert.equal(resumed.status, 'done');
	assert.equal(host.reloads, 1, 'the reload ran once, on resume');
	const drift = resumed.events.find(event => event.type === 'drift');
	assert.equal(drift?.type === 'drift' && drift.summary, 'the last attempt changed the files and was cut off before: Reload the service');
	const plan = resumed.events.find(event => event.type === 'plan');
	assert.deepEqual(plan?.type === 'plan' && plan.plan.items.map(item => item.kind), ['command']);
	const unit = resumed.record.units['configure@ssh:root@node1'];
	assert.equal(unit?.status, 'changed');
	assert.equal(unit?.followUp, undefined, 'verified: nothing pending any more');

	// Done means done: a third run has nothing to do and reloads nothing.
	const again = await runWizard(base, reloadWizard, [host]);
	assert.equal(again.status, 'done');
	assert.equal(host.reloads, 1);
});

/** A host whose apt-get, left running by the lost link, ends after `orphanSeconds` (or never, when undefined). */
function orphanHost(orphanSeconds: number | undefined): FlakyTarget {
	return new FlakyTarget({
		label: 'ssh:root@node1',
		commands: [
			script =>
				script.includes('kill -0 -4711')
					? {
							exitCode: 0,
							stdout: orphanSeconds === undefined ? 'WAYMARK-ORPHAN still-running\n' : `waiting for pid 4711 (0s)\nWAYMARK-ORPHAN gone ${orphanSeconds}\n`,
							stderr: '',
						}
					: undefined,
			(script, fake) => {
				if (!script.includes('apt-get')) {
					return undefined;
				}

				fake.files.set('/installed', {text: '', mode: 0o644});
				return {exitCode: 0, stdout: '', stderr: ''};
			},
		],
	});
}

test('resume waits for the command the lost connection left running before it runs anything there', async () => {
	const host = orphanHost(12);
	const first = await runWizard(base, wizard, [host]);
	assert.deepEqual(first.record.units['install@ssh:root@node1']?.orphan, {pid: 4711, session: true, title: 'Install the packages'});
	host.cut = false;
	const resumed = await runWizard(base, wizard, [host], first.record);
	assert.equal(resumed.status, 'done');
	const waitAt = host.ran.findIndex(script => script.includes('kill -0 -4711'));
	const aptAt = host.ran.findIndex(script => script.includes('apt-get'));
	assert.ok(waitAt !== -1 && aptAt !== -1 && waitAt < aptAt, 'the wait came before apt ran again');
	const drift = resumed.events.find(event => event.type === 'drift');
	assert.equal(drift?.type === 'drift' && drift.summary, 'waited 12 s for the command the lost connection left running (pid 4711) to finish');
	assert.ok(
		resumed.events.some(event => event.type === 'output' && event.lines.includes('waiting for pid 4711 (0s)')),
		'progress is shown',
	);
	assert.equal(resumed.record.units['install@ssh:root@node1']?.orphan, undefined);
});

test('an orphan still running past the bound fails the step with the command that ends it, and runs nothing beside it', async () => {
	const host = orphanHost(undefined);
	const first = await runWizard(base, wizard, [host]);
	host.cut = false;
	const resumed = await runWizard(base, wizard, [host], first.record);
	assert.equal(resumed.status, 'failed');
	const failed = resumed.events.find(event => event.type === 'step-end' && event.status === 'failed');
	assert.ok(failed?.type === 'step-end');
	assert.match(failed.message, /left running on ssh:root@node1 \(pid 4711\) still runs after 600 s/);
	assert.equal(failed.remedy, 'Let it finish and retry, or end it first: ssh root@node1 kill -TERM -4711');
	assert.equal(host.ran.filter(script => script.includes('apt-get')).length, 0, 'apt never ran beside it');
	assert.ok(resumed.record.units['install@ssh:root@node1']?.orphan, 'still recorded for the next attempt');
});

/** Answers the orphan question with `choice` and every confirmation with apply, as an operator at the terminal. */
function operator(choice: PromptChoice, asked: string[]) {
	return (prompt: {kind: string; choices: readonly PromptChoice[]; pid?: number}): PromptChoice => {
		if (prompt.kind !== 'orphan') {
			return 'apply';
		}

		asked.push(`${prompt.pid ?? '-'}: ${prompt.choices.join('/')}`);
		return choice;
	};
}

/** The orphan's process on the fake host: alive until something sends its group a signal. */
function livingOrphanHost(): FlakyTarget & {signals: string[]} {
	const signals: string[] = [];
	const host = new FlakyTarget({
		label: 'ssh:root@node1',
		commands: [
			script => {
				if (!script.includes('kill -0 -4711')) {
					return undefined;
				}

				// The end script: it checks the orphan still runs, then signals its group.
				if (script.includes('\nkill -TERM -4711')) {
					signals.push('TERM');
					return {exitCode: 0, stdout: 'WAYMARK-ORPHAN ended\n', stderr: ''};
				}

				return {exitCode: 0, stdout: script.startsWith('if ') ? 'WAYMARK-ORPHAN alive\n' : 'WAYMARK-ORPHAN gone 3\n', stderr: ''};
			},
			(script, fake) => {
				if (!script.includes('apt-get')) {
					return undefined;
				}

				fake.files.set('/installed', {text: '', mode: 0o644});
				return {exitCode: 0, stdout: '', stderr: ''};
			},
		],
	});
	return Object.assign(host, {signals});
}

test('at a terminal, resume offers to end the orphan: ending it sends its group SIGTERM, then the step runs', async () => {
	const host = livingOrphanHost();
	const first = await runWizard(base, wizard, [host]);
	host.cut = false;
	const asked: string[] = [];
	const resumed = await runWizard(base, wizard, [host], first.record, operator('end', asked));
	assert.deepEqual(asked, ['4711: wait/end/abort']);
	assert.deepEqual(host.signals, ['TERM']);
	assert.equal(resumed.status, 'done');
	const endAt = host.ran.findIndex(script => script.includes('\nkill -TERM -4711'));
	const aptAt = host.ran.findIndex(script => script.includes('apt-get'));
	assert.ok(endAt !== -1 && endAt < aptAt, 'ended before apt ran again');
	const drift = resumed.events.find(event => event.type === 'drift');
	assert.equal(drift?.type === 'drift' && drift.summary, 'the command the lost connection left running (pid 4711): ended it, as asked');
	assert.equal(resumed.record.units['install@ssh:root@node1']?.orphan, undefined);
});

test('at a terminal, choosing to wait waits as --yes does; aborting runs nothing and keeps the orphan for later', async () => {
	const waited = livingOrphanHost();
	const first = await runWizard(base, wizard, [waited]);
	waited.cut = false;
	const resumed = await runWizard(base, wizard, [waited], first.record, operator('wait', []));
	assert.equal(resumed.status, 'done');
	assert.deepEqual(waited.signals, []);
	const drift = resumed.events.find(event => event.type === 'drift');
	assert.equal(drift?.type === 'drift' && drift.summary, 'waited 3 s for the command the lost connection left running (pid 4711) to finish');

	const aborted = livingOrphanHost();
	const second = await runWizard(base, wizard, [aborted]);
	aborted.cut = false;
	const stopped = await runWizard(base, wizard, [aborted], second.record, operator('abort', []));
	assert.notEqual(stopped.status, 'done');
	assert.equal(aborted.ran.filter(script => script.includes('apt-get')).length, 0, 'nothing ran beside it');
	assert.deepEqual(aborted.signals, []);
	assert.ok(stopped.record.units['install@ssh:root@node1']?.orphan, 'still recorded for the next attempt');
});

test('ssh’s reason reaches the screen as one printable line: a stray \\r or newline becomes a space', () => {
	const lost = new ConnectionLost('ssh:node1', 'Connection timed out during banner exchange\r\nConnection to UNKNOWN port 65535 timed out.');
	assert.equal(lost.reason, 'Connection timed out during banner exchange Connection to UNKNOWN port 65535 timed out.');
	assert.doesNotMatch(lost.message, /[\r\n]/);
});
