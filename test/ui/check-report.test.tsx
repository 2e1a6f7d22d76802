import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {CheckReport, StartRequest} from '../../source/engine/channel.js';
import {App, type AppExitStatus} from '../../source/ui/app.js';
import {CheckReportView} from '../../source/ui/check-report.js';
import {checkReportReducer, initialCheckReportState} from '../../source/ui/use-check-report.js';
import {FakeChannel} from './fake-channel.js';
import {fillNodeForm, nodeAnswers, type Typist} from './form-keys.js';
import {brokenReport, cleanReport, nodeGuide, runUpToSshd, vpnGuide} from './fixtures.js';
import {waitFor, waitUntil} from './wait-for.js';

afterEach(() => {
	cleanup();
});

const up = '\u001B[A';
const down = '\u001B[B';
const escape = '\u001B';

function renderReport(report: CheckReport) {
	const fixes: Array<readonly string[]> = [];
	const moves: string[] = [];
	const view = render(
		<CheckReportView
			report={report}
			wizard={nodeGuide}
			onFix={only => fixes.push(only)}
			onRecheck={() => moves.push('recheck')}
			onBack={() => moves.push('back')}
			onQuit={() => moves.push('quit')}
		/>,
	);
	return {...view, fixes, moves};
}

const node1 = [
	'ssh:node1 · Debian GNU/Linux 12 (bookworm) · kernel 6.1.0-18-amd64 · systemd · firewall iptables-nft',
	'  differs from the guide: cgroup v2: no fstab cgroup line; limits go into systemd units.',
];
const node2 = 'ssh:node2 · Ubuntu 24.04 LTS · kernel 6.8.0-31-generic · systemd · firewall ufw';
const elevatorRow = '○ [fail] I/O scheduler: would change: create /etc/udev/rules.d/60-scheduler.rules';
const certRow = '○ [warn] Certificate expiry: /etc/uwsgi/node.pem expires in 12 days';
const sshdRow = '○ [fail] Password logins: PasswordAuthentication yes in sshd_config.d/60-cloud.conf';

/** Marks the sshd finding, then the scheduler's: the order marked is not the wizard's order. */
async function markSshdThenScheduler({lastFrame, stdin}: Typist) {
	stdin.write(down);
	stdin.write(down);
	await waitFor(lastFrame, `❯ ${sshdRow}`);
	stdin.write(' ');
	await waitFor(lastFrame, '◉ [fail] Password logins');
	stdin.write(up);
	stdin.write(up);
	await waitFor(lastFrame, '❯ ○ [fail] I/O scheduler');
	stdin.write(' ');
}

test('per host its platform and departures from the guide, then what fails or warns; the selected finding says why and which step fixes it', async () => {
	const {lastFrame} = renderReport(brokenReport);
	const frame = await waitFor(lastFrame, 'q quit');
	assert.equal(
		frame,
		[
			'uWSGI.it node · check of ssh:node1, ssh:node2',
			'',
			...node1,
			`❯ ${elevatorRow}`,
			'    why: The guide sets elevator=deadline on the kernel command line.',
			'    fix: step "I/O scheduler" (elevator)',
			`  ${certRow}`,
			`  ${sshdRow}`,
			'',
			node2,
			'  nothing fails or warns',
			'',
			'2 pass, 1 warn, 2 fail, 1 n/a',
			'',
			'↑↓ move  space mark  ⏎ fix selected  a show passes  r check again  esc back  q quit',
		].join('\n'),
	);
});

test('↓ skips the pass and expands the next finding; a shows passes and n/a, and ↑ then reaches the pass', async () => {
	const {lastFrame, stdin} = renderReport(brokenReport);
	await waitFor(lastFrame, 'q quit');
	stdin.write(down);
	const warn = await waitFor(lastFrame, `❯ ${certRow}`);
	assert.equal(
		warn.split('\n').slice(4, 9).join('\n'),
		[`  ${elevatorRow}`, `❯ ${certRow}`, '    why: Clients refuse an expired certificate.', '    fix: step "Packages" (packages)', `  ${sshdRow}`].join('\n'),
	);

	stdin.write('a');
	await waitFor(lastFrame, 'a hide passes');
	stdin.write(up);
	const all = await waitFor(lastFrame, '❯   [pass] Packages');
	assert.equal(
		all,
		[
			'uWSGI.it node · check of ssh:node1, ssh:node2',
			'',
			...node1,
			`  ${elevatorRow}`,
			'❯   [pass] Packages: uwsgi and quota installed',
			'    why: Nothing would change.',
			`  ${certRow}`,
			`  ${sshdRow}`,
			'',
			node2,
			'    [n/a] I/O scheduler: container (lxc)',
			'    [pass] Harden sshd: as wanted',
			'',
			'2 pass, 1 warn, 2 fail, 1 n/a',
			'',
			'↑↓ move  space mark  a hide passes  r check again  esc back  q quit',
		].join('\n'),
	);

	// Hiding passes again moves the selection off the pass to the next finding shown.
	stdin.write('a');
	await waitFor(lastFrame, `❯ ${certRow}`);
});

test('space marks two findings; ⏎ asks for their steps once each, in wizard order', async () => {
	const view = renderReport(brokenReport);
	const {lastFrame, stdin, fixes} = view;
	await waitFor(lastFrame, 'q quit');
	await markSshdThenScheduler(view);
	const frame = await waitFor(lastFrame, 'fix marked (2)');
	assert.equal(
		frame.split('\n').slice(4, 9).join('\n'),
		[
			'❯ ◉ [fail] I/O scheduler: would change: create /etc/udev/rules.d/60-scheduler.rules',
			'    why: The guide sets elevator=deadline on the kernel command line.',
			'    fix: step "I/O scheduler" (elevator)',
			`  ${certRow}`,
			'  ◉ [fail] Password logins: PasswordAuthentication yes in sshd_config.d/60-cloud.conf',
		].join('\n'),
	);
	assert.equal(frame.split('\n').at(-1), '↑↓ move  space mark  ⏎ fix marked (2)  a show passes  r check again  esc back  q quit');
	stdin.write('\r');
	await waitUntil(() => fixes.length === 1);
	assert.deepEqual(fixes, [['elevator', 'sshd']]);
});

test('r, esc and q reach their callbacks', async () => {
	const {lastFrame, stdin, moves} = renderReport(brokenReport);
	await waitFor(lastFrame, 'q quit');
	stdin.write('r');
	await waitUntil(() => moves.length === 1);
	stdin.write(escape);
	await waitUntil(() => moves.length === 2);
	stdin.write('q');
	await waitUntil(() => moves.length === 3);
	assert.deepEqual(moves, ['recheck', 'back', 'quit']);
});

test('when nothing fails or warns it says so and offers no fix', async () => {
	const {lastFrame, stdin, fixes} = renderReport(cleanReport);
	const frame = await waitFor(lastFrame, 'q quit');
	assert.equal(
		frame,
		[
			'uWSGI.it node · check of ssh:node2',
			'',
			node2,
			'',
			'✓ Nothing fails or warns: there is nothing to fix.',
			'1 pass, 0 warn, 0 fail, 1 n/a',
			'',
			'a show passes  r check again  esc back  q quit',
		].join('\n'),
	);
	stdin.write('\r');
	stdin.write('a');
	await waitFor(lastFrame, '❯   [n/a] I/O scheduler: container (lxc)');
	assert.deepEqual(fixes, []);
});

test('pure: findings no step fixes cannot be marked; moving stops at the ends', () => {
	let state = initialCheckReportState(brokenReport);
	assert.equal(state.selected, 0);
	state = checkReportReducer(state, {type: 'move', by: -1});
	assert.equal(state.selected, 0);
	state = checkReportReducer(checkReportReducer(state, {type: 'toggle-passes'}), {type: 'move', by: 1});
	assert.equal(state.selected, 1);
	assert.deepEqual(checkReportReducer(state, {type: 'toggle-mark'}).marked, []);
	for (let move = 0; move < 9; move++) {
		state = checkReportReducer(state, {type: 'move', by: 1});
	}

	assert.equal(state.selected, 5);
});

/** The app on a guide overview, with a check the test answers when it likes. */
function renderApp(options: {readonly checkError?: Error} = {}) {
	const started: StartRequest[] = [];
	const checked: StartRequest[] = [];
	const exits: AppExitStatus[] = [];
	const channels: FakeChannel[] = [];
	let answer: (report: CheckReport) => void = () => {};
	const view = render(
		<App
			wizards={[nodeGuide, vpnGuide]}
			runs={[]}
			initial={{screen: 'guide', guide: 'uwsgi-node', bindings: {server: ['ssh:node1', 'ssh:node2']}}}
			startRun={request => {
				started.push(request);
				const channel = new FakeChannel();
				channels.push(channel);
				queueMicrotask(() => {
					channel.emit(...runUpToSshd());
				});
				return channel;
			}}
			resumeRun={() => {
				throw new Error('no resume here');
			}}
			runCheck={async request => {
				checked.push(request);
				if (options.checkError) {
					throw options.checkError;
				}

				return new Promise<CheckReport>(resolve => {
					answer = resolve;
				});
			}}
			onExit={status => exits.push(status)}
		/>,
	);
	return {...view, started, checked, exits, channels, answer: (report: CheckReport) => answer(report)};
}

/** From the overview, `c` and the form filled in: node_ip typed, the rest left at their defaults, sent from the last field. */
async function submitCheckForm(app: ReturnType<typeof renderApp>) {
	const {lastFrame, stdin} = app;
	const overview = await waitFor(lastFrame, 'Roles: server');
	assert.equal(overview.split('\n').at(-1), '⏎ continue  c check hosts  esc back');
	stdin.write('c');
	await waitFor(lastFrame, '❯ target for server  ssh:node1, ssh:node2');
	await fillNodeForm(app);
	await waitFor(lastFrame, '⏎ check  tab/↑↓ move  esc back');
	stdin.write('\r');
}

test('app: overview → c → form → Checking… → report → two marked, ⏎ starts a new run of just their steps and shows it', async () => {
	const app = renderApp();
	const {lastFrame, stdin} = app;
	await submitCheckForm(app);
	const waiting = await waitFor(lastFrame, 'Checking ssh:node1, ssh:node2…');
	assert.equal(waiting.split('\n').slice(-3).join('\n'), ['Checking ssh:node1, ssh:node2…', '', 'esc back'].join('\n'));
	const request = {guide: 'uwsgi-node', bindings: {server: ['ssh:node1', 'ssh:node2']}, answers: nodeAnswers};
	assert.deepEqual(app.checked, [request]);
	assert.deepEqual(app.started, []);

	app.answer(brokenReport);
	await waitFor(lastFrame, `❯ ${elevatorRow}`);
	await markSshdThenScheduler(app);
	await waitFor(lastFrame, '⏎ fix marked (2)');
	stdin.write('\r');
	const run = await waitFor(lastFrame, 'Harden sshd · ssh:node1 · 3/3');
	assert.equal(run.split('\n')[0], 'Run r1 of uwsgi-node · 3 steps');
	assert.deepEqual(app.started, [{...request, only: ['elevator', 'sshd']}]);
});

test('app: a check that cannot be made leaves the form with its message', async () => {
	const app = renderApp({checkError: new Error('check needs the answers the host was set up with.')});
	const {lastFrame} = app;
	await submitCheckForm(app);
	const frame = await waitFor(lastFrame, '✗ check needs');
	assert.equal(frame.split('\n').slice(-8).join('\n'), ['  scheduler          deadline', '  quota              yes', '❯ api_key', '    the API key (any text without newlines; may be empty)', '', '✗ check needs the answers the host was set up with.', '', '⏎ check  tab/↑↓ move  esc back'].join('\n'));
	assert.equal(app.checked.length, 1);
	assert.deepEqual(app.started, []);
});

test('app: r checks again and shows the new report; esc goes back to the overview, which keeps the targets', async () => {
	const app = renderApp();
	const {lastFrame, stdin} = app;
	await submitCheckForm(app);
	await waitFor(lastFrame, 'Checking ssh:node1, ssh:node2…');
	app.answer(brokenReport);
	await waitFor(lastFrame, `❯ ${elevatorRow}`);
	stdin.write('r');
	const waiting = await waitFor(lastFrame, 'Checking ssh:node1, ssh:node2…');
	assert.equal(
		waiting.split('\n').slice(-4).join('\n'),
		['2 pass, 1 warn, 2 fail, 1 n/a', 'Checking ssh:node1, ssh:node2…', '', '↑↓ move  space mark  ⏎ fix selected  a show passes  r check again  esc back  q quit'].join('\n'),
	);
	assert.equal(app.checked.length, 2);
	assert.deepEqual(app.checked[1], app.checked[0]);
	app.answer(cleanReport);
	await waitFor(lastFrame, '✓ Nothing fails or warns');
	stdin.write(escape);
	await waitFor(lastFrame, 'Roles: server');
	stdin.write('c');
	await waitFor(lastFrame, '❯ target for server  ssh:node1, ssh:node2');
	assert.deepEqual(app.started, []);
});
