// The app's check flow: overview → c → form → report → a fixing run.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {CheckReport, StartRequest} from '../../../source/engine/channel.js';
import {App, type AppExitStatus} from '../../../source/ui/app/app.js';
import {elevatorRow, escapeKey, markSshdThenScheduler} from '../check-report/report-keys.js';
import {FakeChannel} from '../fake-channel.js';
import {fillNodeForm, nodeAnswers} from '../form-keys.js';
import {brokenReport, cleanReport, nodeGuide, runUpToSshd, vpnGuide} from '../fixtures.js';
import {waitFor} from '../wait-for.js';

afterEach(() => {
	cleanup();
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
	await waitFor(lastFrame, '⏎ check  tab/shift+tab/↑↓ move  esc back');
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
	assert.equal(
		frame.split('\n').slice(-8).join('\n'),
		[
			'  scheduler          deadline',
			'  quota              yes',
			'❯ api_key',
			'    the API key (any text without newlines; may be empty)',
			'',
			'✗ check needs the answers the host was set up with.',
			'',
			'⏎ check  tab/shift+tab/↑↓ move  esc back',
		].join('\n'),
	);
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
		[
			'2 pass, 1 warn, 2 fail, 1 n/a',
			'Checking ssh:node1, ssh:node2…',
			'',
			'↑↓ move  space mark  ⏎ fix selected  a show passes  r check again  esc back  q quit',
		].join('\n'),
	);
	assert.equal(app.checked.length, 2);
	assert.deepEqual(app.checked[1], app.checked[0]);
	app.answer(cleanReport);
	await waitFor(lastFrame, '✓ Nothing fails or warns');
	stdin.write(escapeKey);
	await waitFor(lastFrame, 'Roles: server');
	stdin.write('c');
	await waitFor(lastFrame, '❯ target for server  ssh:node1, ssh:node2');
	assert.deepEqual(app.started, []);
});
