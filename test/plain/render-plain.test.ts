import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import type {EngineEvent} from '../../source/engine/types.js';
import {renderPlain} from '../../source/plain/render-plain.js';
import {FakeChannel} from '../ui/fake-channel.js';
import {preflight, runUpToSshd, sshdChecks} from '../ui/fixtures.js';
import {waitUntil} from '../ui/wait-for.js';
import {capture, fakeTerminal} from './streams.js';

const end: EngineEvent = {type: 'run-end', runId: 'r1', status: 'done', counts: {ok: 1, changed: 2, failed: 0, skipped: 0, deferred: 0}, notDone: []};

test('one line per step start and end, the plan with its diff, output prefixed with the target, the counts', async () => {
	const out = capture();
	const channel = new FakeChannel();
	const done = renderPlain(channel, {stdout: out.stream, stdin: new PassThrough(), interactive: false});
	channel.emit(
		...runUpToSshd(),
		{type: 'output', stepId: 'sshd', target: 'ssh:node1', lines: ['\u001B[1mReloading\u001B[0m ssh.service', 'ok']},
		{type: 'check', stepId: 'sshd', target: 'ssh:node1', check: {id: 'login', title: 'a new key login works', status: 'pass', evidence: 'exit 0', reason: ''}},
		{type: 'step-end', stepId: 'sshd', target: 'ssh:node1', status: 'changed', message: 'drop-in written'},
		end,
	);
	assert.equal(await done, 'done');
	assert.equal(
		out.text(),
		[
			'Run r1 of uwsgi-node: 3 steps',
			'Step 1/3: I/O scheduler on ssh:node1',
			'OK: I/O scheduler on ssh:node1 — udev rule already in place',
			'Step 2/3: Packages on ssh:node1',
			'ssh:node1 | Reading package lists...',
			'Changed: Packages on ssh:node1 — 2 packages installed',
			'Step 3/3: Harden sshd on ssh:node1',
			'  Note: sshd_config has an Include: using a drop-in',
			'  File /etc/ssh/sshd_config.d/50-waymark.conf (new): +2 -0',
			'    --- /dev/null',
			'    +++ b/etc/ssh/sshd_config.d/50-waymark.conf',
			'    @@ -0,0 +1,2 @@',
			'    +PasswordAuthentication no',
			'    +PermitRootLogin prohibit-password',
			'  Run: Reload sshd',
			'    $ systemctl reload ssh',
			'ssh:node1 | Reloading ssh.service',
			'ssh:node1 | ok',
			'  Check pass: a new key login works — exit 0',
			'Changed: Harden sshd on ssh:node1 — drop-in written',
			'Done: 1 ok, 2 changed, 0 failed, 0 skipped, 0 deferred',
			'To see later whether anything drifted (read-only): waymark check uwsgi-node --target ssh:node1',
			'',
		].join('\n'),
	);
	assert.equal(channel.listenerCount, 0);
});

test('without a terminal a prompt is answered abort, and the line names the flag that answers it', async () => {
	const out = capture();
	const channel = new FakeChannel();
	const done = renderPlain(channel, {stdout: out.stream, stdin: new PassThrough(), interactive: false});
	channel.emit(...runUpToSshd(), {
		type: 'prompt',
		promptId: 'p1',
		kind: 'confirm',
		stepId: 'sshd',
		target: 'ssh:node1',
		risk: 'lockout',
		choices: ['apply', 'skip', 'abort'],
	});
	assert.deepEqual(channel.decisions, [{promptId: 'p1', choice: 'abort'}]);
	channel.emit(
		{type: 'step-end', stepId: 'sshd', target: 'ssh:node1', status: 'failed', message: 'not confirmed', remedy: 'pass --yes, or run it where you can answer'},
		{type: 'run-end', runId: 'r1', status: 'failed', counts: {ok: 1, changed: 1, failed: 1, skipped: 0, deferred: 0}, notDone: []},
	);
	assert.equal(await done, 'failed');
	assert.equal(
		out.text().split('\n').slice(16).join('\n'),
		[
			'  Risk: lockout: can lock you out: the way back is proven first and a rollback is armed',
			'Stopped: Harden sshd on ssh:node1 needs confirmation (lockout risk) and there is no terminal to ask; pass --yes to apply without asking.',
			'Failed: Harden sshd on ssh:node1 — not confirmed',
			'  Remedy: pass --yes, or run it where you can answer',
			'Failed: 1 ok, 1 changed, 1 failed, 0 skipped, 0 deferred',
			'Fix the cause above, then: waymark resume r1',
			'',
		].join('\n'),
	);
});

test('a failed step without a terminal names the resume command', async () => {
	const out = capture();
	const channel = new FakeChannel();
	void renderPlain(channel, {stdout: out.stream, stdin: new PassThrough(), interactive: false});
	channel.emit(...runUpToSshd(), {type: 'prompt', promptId: 'p2', kind: 'failed', stepId: 'sshd', target: 'ssh:node1', choices: ['retry', 'skip', 'abort']});
	assert.deepEqual(channel.decisions, [{promptId: 'p2', choice: 'abort'}]);
	assert.equal(
		out.text().split('\n').at(-2),
		'Stopped: Harden sshd failed on ssh:node1 and there is no terminal to ask whether to retry or skip; fix the cause, then: waymark resume r1',
	);
});

test('with a terminal, a confirm prompt is asked with enquirer; output that arrives meanwhile waits until it is answered', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const channel = new FakeChannel();
	void renderPlain(channel, {stdout: out.stream, stdin, interactive: true});
	channel.emit(...runUpToSshd(), {type: 'prompt', promptId: 'p1', kind: 'confirm', stepId: 'sshd', target: 'ssh:node1', choices: ['apply', 'skip']});
	await waitUntil(() => out.plainText().includes('Apply Harden sshd to ssh:node1? (no: skip)'));
	channel.emit({type: 'output', stepId: 'other', target: 'ssh:node2', lines: ['meanwhile']});
	assert.ok(!out.text().includes('meanwhile'));
	stdin.write('n');
	stdin.write('\r');
	await waitUntil(() => channel.decisions.length > 0);
	assert.deepEqual(channel.decisions, [{promptId: 'p1', choice: 'skip'}]);
	assert.equal(out.plainText().split('\n').at(-2), 'ssh:node2 | meanwhile');
	assert.ok(out.text().includes('  Why: Keys only, no root password login.\n'));
});

test('with a terminal, a failed step offers its choices and a way to stop that keeps the run resumable', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const channel = new FakeChannel();
	void renderPlain(channel, {stdout: out.stream, stdin, interactive: true});
	channel.emit(...runUpToSshd(), {type: 'prompt', promptId: 'p3', kind: 'failed', stepId: 'sshd', target: 'ssh:node1', choices: ['retry', 'skip', 'abort']});
	await waitUntil(() => out.plainText().includes('Stop here (resume later)'));
	const shown = out.plainText();
	for (const choice of ['Retry', 'Skip this step', 'Abort the run']) {
		assert.ok(shown.includes(choice), choice);
	}

	// Down three times to "Stop here", then enter.
	stdin.write('\u001B[B');
	stdin.write('\u001B[B');
	stdin.write('\u001B[B');
	stdin.write('\r');
	await waitUntil(() => channel.interrupts > 0);
	assert.deepEqual(channel.decisions, []);
	assert.ok(out.text().endsWith('Stopping at a safe point… resume with `waymark resume r1`\n'));
});

test('with a terminal, an orphan left by a lost connection is offered to wait for or to end', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const channel = new FakeChannel();
	void renderPlain(channel, {stdout: out.stream, stdin, interactive: true});
	channel.emit(...runUpToSshd(), {
		type: 'prompt',
		promptId: 'p5',
		kind: 'orphan',
		stepId: 'sshd',
		target: 'ssh:node1',
		pid: 95,
		choices: ['wait', 'end', 'abort'],
	});
	await waitUntil(() => out.plainText().includes('Stop here (resume later)'));
	const shown = out.plainText();
	assert.ok(shown.includes('The command of Harden sshd that the lost connection left running on ssh:node1 (pid 95) still runs.'), shown);
	for (const choice of ['Wait for it to finish', 'End it (SIGTERM, then SIGKILL)', 'Abort the run']) {
		assert.ok(shown.includes(choice), choice);
	}

	stdin.write('\u001B[B');
	stdin.write('\r');
	await waitUntil(() => channel.decisions.length > 0);
	assert.deepEqual(channel.decisions, [{promptId: 'p5', choice: 'end'}]);
});

test('ctrl+c at a prompt stops the run the safe way', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const channel = new FakeChannel();
	void renderPlain(channel, {stdout: out.stream, stdin, interactive: true});
	channel.emit(...runUpToSshd(), {type: 'prompt', promptId: 'p1', kind: 'confirm', stepId: 'sshd', target: 'ssh:node1', choices: ['apply', 'skip', 'abort']});
	await waitUntil(() => out.plainText().includes('Apply Harden sshd to ssh:node1?'));
	stdin.write('\u0003');
	await waitUntil(() => channel.interrupts > 0);
	assert.deepEqual(channel.decisions, []);
	assert.ok(out.text().endsWith('Stopping at a safe point… resume with `waymark resume r1`\n'));
});

test('the summary lists what was not done here, with the reason and what to do', async () => {
	const out = capture();
	const channel = new FakeChannel();
	const done = renderPlain(channel, {stdout: out.stream, stdin: new PassThrough(), interactive: false});
	channel.emit(...runUpToSshd(), {
		type: 'run-end',
		runId: 'r1',
		status: 'done',
		counts: {ok: 1, changed: 0, failed: 0, skipped: 1, deferred: 1},
		notDone: [
			{
				stepId: 'fstab-quota',
				target: 'ssh:node1',
				title: 'User quotas',
				status: 'deferred',
				message: 'quotas cannot be switched on: no quota format in the kernel',
				remedy: 'Boot a kernel with quota support.',
			},
			{stepId: 'kernel-cmdline', target: 'ssh:node1', title: 'Kernel command line', status: 'skipped', message: 'This host is a container.'},
		],
	});
	assert.equal(await done, 'done');
	assert.deepEqual(out.text().split('\n').slice(-6), [
		'Not done here (2):',
		'  deferred User quotas on ssh:node1: quotas cannot be switched on: no quota format in the kernel',
		'           then: Boot a kernel with quota support.',
		'  skipped  Kernel command line on ssh:node1: This host is a container.',
		'To see later whether anything drifted (read-only): waymark check uwsgi-node --target ssh:node1',
		'',
	]);
});

test('the platform, its departures from the guide, drift and checks are said in the words the TUI uses', async () => {
	const out = capture();
	const channel = new FakeChannel();
	const done = renderPlain(channel, {stdout: out.stream, stdin: new PassThrough(), interactive: false});
	const [start, ...rest] = runUpToSshd();
	channel.emit(
		start!,
		{type: 'facts', target: 'ssh:node1', count: 14, ms: 320},
		{type: 'preflight', target: 'ssh:node1', platform: preflight, differences: ['cgroup v2: no fstab cgroup line; limits go into systemd units.']},
		...rest.slice(0, 5),
		{type: 'drift', stepId: 'packages', target: 'ssh:node1', summary: 'quota was removed by hand'},
		...sshdChecks.slice(1),
		end,
	);
	assert.equal(await done, 'done');
	const lines = out.text().split('\n');
	assert.deepEqual(lines.slice(1, 3), [
		'ssh:node1: Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-amd64, systemd, firewall iptables-nft',
		'  differs from the guide: cgroup v2: no fstab cgroup line; limits go into systemd units.',
	]);
	assert.deepEqual(lines.slice(8, 11), [
		'Drift: Packages on ssh:node1: quota was removed by hand',
		'  Check warn: Certificate expiry — /etc/uwsgi/node.pem expires in 12 days',
		'  Check fail: Password logins — PasswordAuthentication yes in sshd_config.d/60-cloud.conf',
	]);
});
