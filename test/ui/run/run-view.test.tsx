import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {EngineEvent} from '../../../source/engine/types.js';
import {RunView} from '../../../source/ui/run/run-view.js';
import {FakeChannel} from '../fake-channel.js';
import {preflight, runUpToSshd, sshdChecks, sshdPlan} from '../fixtures.js';
import {plain, waitFor, waitUntil} from '../wait-for.js';

afterEach(() => {
	cleanup();
});

const finished = [
	'Run r1 of uwsgi-node · 3 steps',
	'✓ I/O scheduler · ssh:node1 · udev rule already in place',
	'● Packages · ssh:node1 · 2 packages installed',
];

const sshdStep = [
	'▸ Harden sshd · ssh:node1 · 3/3',
	'  Keys only, no root password login.',
	'  note: sshd_config has an Include: using a drop-in',
	'  file /etc/ssh/sshd_config.d/50-waymark.conf (new) +2 -0',
	'    --- /dev/null',
	'    +++ b/etc/ssh/sshd_config.d/50-waymark.conf',
	'    @@ -0,0 +1,2 @@',
	'    +PasswordAuthentication no',
	'    +PermitRootLogin prohibit-password',
	'  run Reload sshd',
	'    $ systemctl reload ssh',
];

const confirm: EngineEvent = {
	type: 'prompt',
	promptId: 'p1',
	kind: 'confirm',
	stepId: 'sshd',
	target: 'ssh:node1',
	risk: 'lockout',
	choices: ['apply', 'skip'],
};

function output(from: number, to: number): EngineEvent {
	const lines: string[] = [];
	for (let index = from; index <= to; index++) {
		lines.push(`\u001B[32mline ${index}\u001B[39m`);
	}

	return {type: 'output', stepId: 'sshd', target: 'ssh:node1', lines};
}

test('finished steps stay above the current step, its plan and the keys its prompt accepts', async () => {
	const channel = new FakeChannel();
	const {lastFrame} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), confirm);
	const frame = await waitFor(lastFrame, 'Apply this plan');
	assert.equal(
		frame,
		[
			...finished,
			'',
			...sshdStep,
			'',
			'  ! lockout: can lock you out: the way back is proven first and a rollback is armed',
			'  Apply this plan to ssh:node1?',
			'  ⏎/y apply  s skip  l log  q quit',
		].join('\n'),
	);
});

test('s answers the prompt with skip; keys that the prompt does not offer do nothing', async () => {
	const channel = new FakeChannel();
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), confirm);
	await waitFor(lastFrame, 'Apply this plan');
	stdin.write('r');
	stdin.write('s');
	await waitUntil(() => channel.decisions.length > 0);
	assert.deepEqual(channel.decisions, [{promptId: 'p1', choice: 'skip'}]);
	const frame = await waitFor(lastFrame, frame => !frame.includes('Apply this plan'));
	assert.equal(frame, [...finished, '', ...sshdStep, '  l log  q quit'].join('\n'));
	stdin.write('y');
	assert.equal(channel.decisions.length, 1);
});

test('⏎ applies', async () => {
	const channel = new FakeChannel();
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), confirm);
	await waitFor(lastFrame, 'Apply this plan');
	stdin.write('\r');
	await waitUntil(() => channel.decisions.length > 0);
	assert.deepEqual(channel.decisions, [{promptId: 'p1', choice: 'apply'}]);
});

test('live output shows the last 8 lines of the running command, without colors', async () => {
	const channel = new FakeChannel();
	const {lastFrame} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), output(1, 5), output(6, 12));
	const frame = await waitFor(lastFrame, 'line 12');
	assert.equal(
		frame,
		[...finished, '', ...sshdStep, '│ line 5', '│ line 6', '│ line 7', '│ line 8', '│ line 9', '│ line 10', '│ line 11', '│ line 12', '  l log  q quit'].join(
			'\n',
		),
	);
	assert.ok(!lastFrame()!.includes('\u001B[32mline'), 'the command’s own colors are stripped');
});

test('l shows a larger log view with the transcript path, and hides it again', async () => {
	const channel = new FakeChannel('/var/lib/waymark/r1.ndjson');
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), output(1, 3));
	await waitFor(lastFrame, 'line 3');
	stdin.write('l');
	const frame = await waitFor(lastFrame, 'full log');
	assert.equal(
		frame,
		[
			...finished,
			'',
			sshdStep[0],
			'',
			'Output: last 3 of 3 lines · full log: /var/lib/waymark/r1.ndjson',
			'│ line 1',
			'│ line 2',
			'│ line 3',
			'  l hide log  q quit',
		].join('\n'),
	);
	stdin.write('l');
	await waitFor(lastFrame, frame => !frame.includes('full log'));
});

test('q interrupts once and says how to resume', async () => {
	const channel = new FakeChannel();
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), confirm);
	await waitFor(lastFrame, 'Apply this plan');
	stdin.write('q');
	const frame = await waitFor(lastFrame, 'Stopping');
	assert.equal(frame, [...finished, '', ...sshdStep, 'Stopping at a safe point… resume with `waymark resume r1`'].join('\n'));
	stdin.write('q');
	stdin.write('y');
	assert.equal(channel.interrupts, 1);
	assert.deepEqual(channel.decisions, []);
	channel.emit({type: 'run-end', runId: 'r1', status: 'interrupted', counts: {ok: 1, changed: 1, failed: 0, skipped: 0, deferred: 0}, notDone: []});
	const end = await waitFor(lastFrame, 'Interrupted:');
	assert.equal(end, [...finished, '', 'Interrupted: 1 ok, 1 changed, 0 failed, 0 skipped, 0 deferred', 'Resume with: waymark resume r1', 'l log'].join('\n'));
});

test('a failed step is listed with its remedy, and the run ends with counts and what to type next', async () => {
	const channel = new FakeChannel();
	const ended: string[] = [];
	const {lastFrame} = render(<RunView channel={channel} onEnd={status => ended.push(status)} onClose={() => {}} />);
	channel.emit(
		...runUpToSshd(),
		{
			type: 'step-end',
			stepId: 'sshd',
			target: 'ssh:node1',
			status: 'failed',
			message: 'sshd -t rejected the change',
			remedy: 'check /etc/ssh/sshd_config, then: waymark resume r1',
		},
		{type: 'run-end', runId: 'r1', status: 'failed', counts: {ok: 1, changed: 1, failed: 1, skipped: 0, deferred: 0}, notDone: []},
	);
	const frame = await waitFor(lastFrame, 'Failed:');
	assert.equal(
		frame,
		[
			...finished,
			'✗ Harden sshd · ssh:node1 · sshd -t rejected the change',
			'  → check /etc/ssh/sshd_config, then: waymark resume r1',
			'',
			'Failed: 1 ok, 1 changed, 1 failed, 0 skipped, 0 deferred',
			'Fix the cause above, then: waymark resume r1',
			'⏎ back to guides  l log  q quit',
		].join('\n'),
	);
	await waitUntil(() => ended.length > 0);
	assert.deepEqual(ended, ['failed']);
});

test('100k lines of output cause few renders and keep only the last lines', async () => {
	const channel = new FakeChannel();
	const {lastFrame, frames} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd());
	await waitFor(lastFrame, 'Harden sshd · ssh:node1');
	const before = frames.length;
	// In 100 bursts of 1,000 events, each event one line, a millisecond or more apart.
	for (let burst = 0; burst < 100; burst++) {
		for (let index = 1; index <= 1000; index++) {
			const line = burst * 1000 + index;
			channel.emit({type: 'output', stepId: 'sshd', target: 'ssh:node1', lines: [`line ${line}`]});
		}

		await new Promise(resolve => {
			setTimeout(resolve, 1);
		});
	}

	const frame = await waitFor(lastFrame, 'line 100000');
	const renders = frames.length - before;
	assert.ok(renders <= 30, `${renders} renders for 100k lines`);
	assert.equal(
		frame.split('\n').slice(-9).join('\n'),
		['│ line 99993', '│ line 99994', '│ line 99995', '│ line 99996', '│ line 99997', '│ line 99998', '│ line 99999', '│ line 100000', '  l log  q quit'].join(
			'\n',
		),
	);
	assert.equal(plain(frames.at(-1)), frame);
});

test('a diff line wider than the terminal is cut with …, d is offered, and d shows it whole', async () => {
	const channel = new FakeChannel();
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	const long = `+AuthorizedKeysFile ${Array.from({length: 12}, (_, index) => `%h/.ssh/keys-${index}`).join(' ')}`;
	const file = sshdPlan.items[0]!;
	const plan = {...sshdPlan, items: [{...file, diff: `${file.kind === 'file' ? file.diff : ''}\n${long}`}, ...sshdPlan.items.slice(1)]};
	channel.emit(...runUpToSshd().slice(0, -1), {type: 'plan', stepId: 'sshd', target: 'ssh:node1', plan}, confirm);
	const short = await waitFor(lastFrame, 'd full diff');
	const cut = short.split('\n').find(line => line.includes('+AuthorizedKeysFile'));
	assert.ok(cut?.endsWith('…'), cut);
	assert.ok(!short.includes('keys-11'), 'the end of the line is cut off');
	stdin.write('d');
	const whole = await waitFor(lastFrame, 'short diff');
	assert.ok(whole.includes('%h/.ssh/keys-11'), whole);
	assert.ok(
		whole.split('\n').every(line => line.length <= 100),
		'wrapped, not wider than the terminal',
	);
});

test('a failed step asks what now, with its last output and only the keys it offers; r retries', async () => {
	const channel = new FakeChannel();
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	channel.emit(
		...runUpToSshd(),
		{type: 'output', stepId: 'sshd', target: 'ssh:node1', lines: ['/etc/ssh/sshd_config line 9: Bad configuration option']},
		{type: 'step-end', stepId: 'sshd', target: 'ssh:node1', status: 'failed', message: 'sshd -t rejected the change', remedy: 'fix line 9, then choose retry'},
		{type: 'prompt', promptId: 'p2', kind: 'failed', stepId: 'sshd', target: 'ssh:node1', choices: ['retry', 'skip', 'abort']},
	);
	const frame = await waitFor(lastFrame, 'What now?');
	assert.equal(
		frame,
		[
			...finished,
			'✗ Harden sshd · ssh:node1 · sshd -t rejected the change',
			'  → fix line 9, then choose retry',
			'',
			'│ /etc/ssh/sshd_config line 9: Bad configuration option',
			'',
			'  Harden sshd failed on ssh:node1. What now?',
			'  s skip  r retry  a abort  l log  q quit',
		].join('\n'),
	);
	stdin.write('\r');
	stdin.write('r');
	await waitUntil(() => channel.decisions.length > 0);
	assert.deepEqual(channel.decisions, [{promptId: 'p2', choice: 'retry'}]);
});

test('a command a lost connection left running is offered to wait for or to end, by pid; e ends it', async () => {
	const channel = new FakeChannel();
	const {lastFrame, stdin} = render(<RunView channel={channel} />);
	channel.emit(...runUpToSshd(), {
		type: 'prompt',
		promptId: 'p4',
		kind: 'orphan',
		stepId: 'sshd',
		target: 'ssh:node1',
		pid: 95,
		choices: ['wait', 'end', 'abort'],
	});
	const frame = await waitFor(lastFrame, 'end it');
	assert.deepEqual(frame.split('\n').slice(-3), [
		'  The command of Harden sshd that the lost connection left running on ssh:node1 (pid 95) still runs.',
		'  Wait for it to finish, or end it?',
		'  w wait for it  e end it  a abort  l log  q quit',
	]);
	stdin.write('e');
	await waitUntil(() => channel.decisions.length > 0);
	assert.deepEqual(channel.decisions, [{promptId: 'p4', choice: 'end'}]);
});

test('what the run read and found is worded by the view: facts, the platform and its departures, drift, failing checks', async () => {
	const channel = new FakeChannel();
	const {lastFrame} = render(<RunView channel={channel} />);
	const [start, ...rest] = runUpToSshd();
	channel.emit(
		start!,
		{type: 'facts', target: 'ssh:node1', count: 14, ms: 320},
		{type: 'preflight', target: 'ssh:node1', platform: preflight, differences: ['cgroup v2: no fstab cgroup line; limits go into systemd units.']},
		...rest.slice(0, 5),
		{type: 'drift', stepId: 'packages', target: 'ssh:node1', summary: 'quota was removed by hand'},
		...rest.slice(5),
		...sshdChecks,
		{type: 'step-end', stepId: 'sshd', target: 'ssh:node1', status: 'failed', message: 'a check failed', remedy: 'remove the drop-in, then: waymark resume r1'},
	);
	const frame = await waitFor(lastFrame, '→ remove the drop-in');
	assert.equal(
		frame,
		[
			'Run r1 of uwsgi-node · 3 steps',
			'read 14 facts from ssh:node1 in 320 ms',
			'ssh:node1: Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-amd64, systemd, firewall iptables-nft',
			'  differs from the guide: cgroup v2: no fstab cgroup line; limits go into systemd units.',
			'✓ I/O scheduler · ssh:node1 · udev rule already in place',
			'● Packages · ssh:node1 · 2 packages installed',
			'drift: Packages on ssh:node1: quota was removed by hand',
			'✗ Harden sshd · ssh:node1 · a check failed',
			'  warn: Certificate expiry: /etc/uwsgi/node.pem expires in 12 days',
			'  fail: Password logins: PasswordAuthentication yes in sshd_config.d/60-cloud.conf',
			'  → remove the drop-in, then: waymark resume r1',
			'  l log  q quit',
		].join('\n'),
	);
});
