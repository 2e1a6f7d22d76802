// The lockout guard against a real sshd in a lab host: refuse without a way back, roll back when a new login fails.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {armRollback, guardId} from '../../source/engine/guard.js';
import {startRun} from '../../source/engine/runner.js';
import type {EngineEvent, Wizard} from '../../source/engine/types.js';
import {SshTarget} from '../../source/targets/ssh.js';
import {type RunRecord, RunStore} from '../../source/store/runs.js';
import {sshdOfferedProbe} from '../../source/facts/sshd.js';
import {sshdHardeningStep} from '../../wizards/common/sshd-hardening.js';
import {createLabHost, type KeyPlacement, type LabHost} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';

const skip = await labSkipReason();
const home = mkdtempSync(join(tmpdir(), 'waymark-lockout-'));
const labs: LabHost[] = [];

after(async () => {
	await Promise.all(labs.map(async lab => lab.destroy()));
	rmSync(home, {recursive: true, force: true});
});

const hardening: Wizard = {
	id: 'hardening',
	title: 'sshd hardening only',
	guide: 'uwsgi-it-node.md',
	summary: 'The uwsgi-node sshd step alone.',
	roles: ['node'],
	params: [],
	steps: [
		sshdHardeningStep({
			wizard: 'hardening',
			role: 'node',
			params: [],
			settings: () => ({
				AuthorizedKeysFile: '%h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys',
				PasswordAuthentication: 'no',
				KbdInteractiveAuthentication: 'no',
				X11Forwarding: 'no',
				ClientAliveInterval: '30',
			}),
		}),
	],
};

/** A lockout step whose change outlasts a short guard: a file, then a command slower than the guard. */
const slowChange: Wizard = {
	id: 'slow',
	title: 'a change slower than its guard',
	guide: 'none',
	summary: 'One lockout step that writes a file and then takes 4 s.',
	roles: ['node'],
	params: [],
	steps: [
		{
			id: 'slow',
			title: 'Slow lockout change',
			why: 'Outlasts a 1 s guard on purpose.',
			role: 'node',
			risk: 'lockout',
			facts: () => [{kind: 'file', key: 'f', path: '/etc/waymark-slow.conf'}],
			plan: (_ctx, facts) =>
				facts.get('f')?.exists
					? {actions: [], notes: []}
					: {
							actions: [
								{kind: 'file', path: '/etc/waymark-slow.conf', before: null, after: 'slow\n'},
								{kind: 'command', title: 'Take longer than the guard', script: 'sleep 4'},
							],
							notes: [],
						},
		},
	],
};

async function lab(name: string, keyIn: KeyPlacement): Promise<LabHost> {
	const host = await createLabHost({name, keyIn});
	labs.push(host);
	return host;
}

async function harden(
	host: LabHost,
	before?: (target: SshTarget) => Promise<void>,
	options: {readonly wizard?: Wizard; readonly guardSeconds?: number; readonly record?: (id: string) => RunRecord} = {},
): Promise<EngineEvent[]> {
	const target = new SshTarget({kind: 'ssh', host: host.alias}, {sshConfig: host.sshConfig, become: false});
	await before?.(target);
	const store = new RunStore(home);
	const wizard = options.wizard ?? hardening;
	const id = store.newId(wizard.id);
	const record = options.record
		? store.create(options.record(id))
		: store.create({
				id,
				guide: wizard.id,
				status: 'running',
				bindings: {node: [`ssh:${host.alias}`]},
				answers: {},
				options: {},
				units: {},
				order: [],
			});
	const channel = startRun({
		wizard,
		record,
		targets: new Map([['node', [target]]]),
		answers: {},
		secrets: new Map(),
		store,
		transcriptPath: join(home, 't'),
		yes: true,
		dryRun: false,
		interactive: false,
		resumed: options.record !== undefined,
		guardSeconds: options.guardSeconds ?? 60,
	});
	const events: EngineEvent[] = [];
	channel.subscribe(event => events.push(event));
	await channel.done;
	await target.close();
	return events;
}

function failure(events: EngineEvent[]): Extract<EngineEvent, {type: 'step-end'}> {
	const ended = events.find((event): event is Extract<EngineEvent, {type: 'step-end'}> => event.type === 'step-end');
	assert.ok(ended, 'the step ended');
	assert.equal(ended.status, 'failed', ended.message);
	return ended;
}

describe('lockout guard', {skip}, () => {
	test('hardening applies, verifies with a fresh login, and a second run changes nothing', async () => {
		const host = await lab('lock-ok', 'authorized_keys');
		const events = await harden(host);
		const ended = events.find(event => event.type === 'step-end');
		assert.equal(ended?.type === 'step-end' && ended.status, 'changed', JSON.stringify(ended));
		const effective = await host.exec('sshd -T | grep -E "^(passwordauthentication|x11forwarding|clientaliveinterval|authorizedkeysfile) "');
		assert.equal(
			effective.stdout,
			'clientaliveinterval 30\npasswordauthentication no\nx11forwarding no\nauthorizedkeysfile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys\n',
		);
		assert.equal((await host.ssh('true')).exitCode, 0);
		const again = await harden(host);
		assert.deepEqual(again.at(-1)?.type === 'run-end' && again.at(-1), {
			type: 'run-end',
			runId: (again.at(-1) as {runId: string}).runId,
			status: 'done',
			counts: {ok: 1, changed: 0, failed: 0, skipped: 0, deferred: 0},
			notDone: [],
		});
		// The armed rollback is gone: nothing left in /run/waymark-guard, no sleeping restorer.
		assert.equal((await host.exec("ls -A /run/waymark-guard 2>/dev/null; pgrep -f '[r]estore[.]sh' || true")).stdout, '');
	});

	test('files written but the daemon never reloaded (a run cut between the edit and the reload) is not ok: the run reloads it', async () => {
		const host = await lab('lock-reload', 'authorized_keys');
		await harden(host);
		// The state a cut leaves: the drop-in in place, the running daemon still on the old config.
		const dropIn = await host.readFile('/etc/ssh/sshd_config.d/00-waymark.conf');
		await host.exec(
			'mv /etc/ssh/sshd_config.d/00-waymark.conf /root/dropin && systemctl reload ssh && sleep 1 && mv /root/dropin /etc/ssh/sshd_config.d/00-waymark.conf',
		);
		const offered = async () => (await host.exec(sshdOfferedProbe)).stdout;
		assert.match(await offered(), /Permission denied \(publickey,password\)/, 'the running daemon still offers passwords');
		const events = await harden(host);
		const plans = events.filter(event => event.type === 'plan');
		assert.deepEqual(
			plans.flatMap(event => (event.type === 'plan' ? event.plan.items.map(item => (item.kind === 'command' ? item.title : item.path)) : [])),
			['Reload sshd (sessions stay open)'],
		);
		assert.ok(plans.some(event => event.type === 'plan' && event.plan.notes.some(note => /still offers password/.test(note))));
		const ended = events.find(event => event.type === 'step-end');
		assert.equal(ended?.type === 'step-end' && ended.status, 'changed', JSON.stringify(ended));
		const live = events.find(event => event.type === 'check' && event.check.id === 'sshd-offered-methods');
		assert.equal(live?.type === 'check' && live.check.evidence, 'offered: publickey');
		assert.match(await offered(), /Permission denied \(publickey\)/);
		assert.equal(await host.readFile('/etc/ssh/sshd_config.d/00-waymark.conf'), dropIn, 'the files were right and stay so');
		assert.equal((await host.ssh('true')).exitCode, 0);
	});

	test('a change that outlasts the guard: the failure says the rollback fired, when, and what to raise', async () => {
		const host = await lab('lock-slow', 'authorized_keys');
		const events = await harden(host, undefined, {wizard: slowChange, guardSeconds: 1});
		const ended = failure(events);
		assert.match(ended.message, /automatic rollback on ssh:lock-slow fired at \d\d:\d\d:\d\d UTC, 1 s after it was armed/);
		assert.equal(ended.remedy, 'The host is as it was before the step. Retry it with more time: --guard-seconds 60.');
		assert.doesNotMatch(`${ended.message}${ended.remedy}`, /still differs|undoes the change|\/var\/backups|\r/);
		assert.equal((await host.exec('test -e /etc/waymark-slow.conf; echo $?')).stdout.trim(), '1', 'the new file is gone again');
		assert.equal((await host.exec('ls -A /run/waymark-guard')).stdout, '', 'nothing of the guard is left');
	});

	test('resume tells that the host rolled itself back while the run was away', async () => {
		const host = await lab('lock-away', 'authorized_keys');
		const target = new SshTarget({kind: 'ssh', host: host.alias}, {sshConfig: host.sshConfig, become: false});
		const label = `ssh:${host.alias}`;
		let runId = '';
		const events = await harden(
			host,
			async () => {
				// The cut run's state: the step was being tried when the link went, its guard armed; the guard fires.
				runId = new RunStore(home).newId('slow');
				await armRollback(target, {
					id: guardId(runId, 'slow'),
					files: [{kind: 'file', path: '/etc/waymark-slow.conf', before: null, after: 'slow\n'}],
					seconds: 1,
				});
				await target.write('/etc/waymark-slow.conf', 'slow\n');
				await new Promise(resolve => {
					setTimeout(resolve, 2500);
				});
				await target.close();
			},
			{
				wizard: slowChange,
				guardSeconds: 60,
				record: () => ({
					id: runId,
					created: new Date().toISOString(),
					updated: new Date().toISOString(),
					guide: 'slow',
					status: 'interrupted',
					bindings: {node: [label]},
					answers: {},
					options: {},
					units: {[`slow@${label}`]: {status: 'running', message: 'the connection was lost', updated: new Date().toISOString(), attempts: 1}},
					order: [`slow@${label}`],
				}),
			},
		);
		const drift = events.find(event => event.type === 'drift');
		assert.match(
			drift?.type === 'drift' ? drift.summary : '',
			/^while the run was away, the host restored the previous settings by itself at \d\d:\d\d:\d\d UTC \(the change was never confirmed\)$/,
		);
		const ended = events.find(event => event.type === 'step-end');
		assert.equal(ended?.type === 'step-end' && ended.status, 'changed', 'the step is done again, this time to the end');
	});

	test('with no working key, hardening is refused before anything changes', async () => {
		const host = await lab('lock-nokey', 'authorized_keys');
		const events = await harden(host, async target => {
			// The session is up (as when you logged in earlier), then your key stops working.
			assert.equal((await target.run('true')).exitCode, 0);
			await host.exec('rm -f /root/.ssh/authorized_keys');
		});
		const ended = failure(events);
		assert.match(ended.message, /Refused before changing anything: a fresh key-based login/);
		assert.match(ended.remedy ?? '', /ssh-copy-id/);
		const changed = await host.changedFiles();
		assert.deepEqual(
			changed.filter(path => path.startsWith('/etc/ssh/sshd_config')),
			[],
		);
	});

	test('when a new login fails after the change, the previous settings come back by themselves', async () => {
		// The key sits in authorized_keys2, which the guide's AuthorizedKeysFile no longer reads.
		const host = await lab('lock-keys2', 'authorized_keys2');
		const events = await harden(host);
		const ended = failure(events);
		assert.match(ended.message, /new login .* failed, so the previous settings were restored/);
		assert.equal((await host.exec('test -e /etc/ssh/sshd_config.d/00-waymark.conf; echo $?')).stdout.trim(), '1');
		assert.equal((await host.ssh('true')).exitCode, 0, 'the operator can still log in');
		const effective = await host.exec('sshd -T | grep "^authorizedkeysfile"');
		assert.equal(effective.stdout.trim(), 'authorizedkeysfile .ssh/authorized_keys .ssh/authorized_keys2');
	});

	test('when the connection is lost, the armed timer restores the previous state by itself; a late disarm says so', async () => {
		const host = await lab('lock-timer', 'authorized_keys');
		const target = new SshTarget({kind: 'ssh', host: host.alias}, {sshConfig: host.sshConfig, become: false});
		try {
			await target.write('/etc/waymark-guard-test', 'before\n');
			const guard = await armRollback(target, {
				id: 'timer-test',
				files: [{kind: 'file', path: '/etc/waymark-guard-test', before: 'before\n', after: 'after\n'}],
				seconds: 1,
			});
			await target.write('/etc/waymark-guard-test', 'after\n');
			// Nobody disarms, as when the connection died: within a few seconds the host heals itself.
			let content = '';
			for (let index = 0; index < 50 && content !== 'before\n'; index++) {
				await new Promise(resolve => {
					setTimeout(resolve, 100);
				});
				content = (await host.exec('cat /etc/waymark-guard-test')).stdout;
			}

			assert.equal(content, 'before\n');
			await assert.rejects(guard.disarm(), /fired before the change was confirmed/);
		} finally {
			await target.close();
		}
	});
});
