import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {StartRequest} from '../../../source/engine/channel.js';
import {App, type AppExitStatus, type AppProps} from '../../../source/ui/app/app.js';
import {FakeChannel} from '../fake-channel.js';
import {fillNodeForm, nodeAnswers} from '../form-keys.js';
import {nodeGuide, runUpToSshd, savedRuns, vpnGuide} from '../fixtures.js';
import {plain, waitFor, waitUntil} from '../wait-for.js';

afterEach(() => {
	cleanup();
});

const counts = {ok: 1, changed: 2, failed: 0, skipped: 0, deferred: 0};

function renderApp(options: {readonly initial?: FakeChannel; readonly startError?: Error; readonly lastRun?: AppProps['lastRun']} = {}) {
	const started: StartRequest[] = [];
	const resumed: string[] = [];
	const exits: AppExitStatus[] = [];
	const channels: FakeChannel[] = [];
	const view = render(
		<App
			wizards={[nodeGuide, vpnGuide]}
			runs={savedRuns}
			startRun={request => {
				started.push(request);
				if (options.startError) {
					throw options.startError;
				}

				const channel = new FakeChannel();
				channels.push(channel);
				// The first events arrive before the run screen has mounted: the app must not lose them.
				queueMicrotask(() => {
					channel.emit(...runUpToSshd());
				});
				return channel;
			}}
			resumeRun={runId => {
				resumed.push(runId);
				const channel = new FakeChannel();
				channels.push(channel);
				return channel;
			}}
			{...(options.initial === undefined ? {} : {initial: {screen: 'run' as const, channel: options.initial}})}
			{...(options.lastRun === undefined ? {} : {lastRun: options.lastRun})}
			onExit={status => exits.push(status)}
		/>,
	);
	return {...view, started, resumed, exits, channels};
}

test('home → overview → form → run: the request carries the typed targets and answers, the run screen shows its first events', async () => {
	const app = renderApp();
	const {lastFrame, stdin} = app;
	await waitFor(lastFrame, 'Guides');
	stdin.write('\r');
	await waitFor(lastFrame, 'Roles: server');
	stdin.write('\r');
	await fillNodeForm(app, 'local');
	stdin.write('\r');
	const frame = await waitFor(lastFrame, 'Harden sshd · ssh:node1 · 3/3');
	assert.deepEqual(app.started, [{guide: 'uwsgi-node', bindings: {server: ['local']}, answers: nodeAnswers}]);
	assert.equal(
		frame.split('\n').slice(0, 3).join('\n'),
		['Run r1 of uwsgi-node · 3 steps', '✓ I/O scheduler · ssh:node1 · udev rule already in place', '● Packages · ssh:node1 · 2 packages installed'].join('\n'),
	);

	app.channels[0]!.emit(
		{type: 'step-end', stepId: 'sshd', target: 'ssh:node1', status: 'changed', message: 'drop-in written'},
		{type: 'run-end', runId: 'r1', status: 'done', counts, notDone: []},
	);
	const end = await waitFor(lastFrame, 'Done:');
	assert.equal(
		end.split('\n').slice(3).join('\n'),
		[
			'● Harden sshd · ssh:node1 · drop-in written',
			'',
			'Done: 1 ok, 2 changed, 0 failed, 0 skipped, 0 deferred',
			'To see later whether anything drifted (read-only): waymark check uwsgi-node --target ssh:node1',
			'⏎ back to guides  l log  q quit',
		].join('\n'),
	);
	stdin.write('\r');
	await waitFor(lastFrame, 'Guides');
	stdin.write('q');
	await waitUntil(() => app.exits.length > 0);
	assert.deepEqual(app.exits, ['done']);
});

test('a run the engine refuses stays on the form with the reason under the field it names', async () => {
	const refusal = Object.assign(new Error('the answers do not fit together'), {
		errors: [{field: 'ssh_port', message: 'ssh_port: 22 is taken by the old sshd; expected another port'}],
	});
	const app = renderApp({startError: refusal});
	const {lastFrame, stdin} = app;
	await waitFor(lastFrame, 'Guides');
	stdin.write('\r');
	await waitFor(lastFrame, 'Roles: server');
	stdin.write('\r');
	await fillNodeForm(app, 'local');
	stdin.write('\r');
	const frame = await waitFor(lastFrame, 'do not fit');
	assert.equal(
		frame.split('\n').slice(6).join('\n'),
		[
			'  node_ip            192.0.2.7',
			'  ssh_port           22',
			'    ✗ ssh_port: 22 is taken by the old sshd; expected another port',
			'  scheduler          deadline',
			'  quota              yes',
			'❯ api_key',
			'    the API key (any text without newlines; may be empty)',
			'',
			'✗ the answers do not fit together',
			'',
			'⏎ start  tab/shift+tab/↑↓ move  esc back',
		].join('\n'),
	);
	assert.equal(app.started.length, 1);
});

test('resume from home: the saved run is resumed by id', async () => {
	const app = renderApp();
	const {lastFrame, stdin} = app;
	await waitFor(lastFrame, 'Resume');
	stdin.write('\t');
	await waitFor(lastFrame, '❯ r7');
	stdin.write('\r');
	await waitFor(lastFrame, 'Run r7 of uwsgi-node stopped at Harden sshd (2/3) — resume?');
	stdin.write('y');
	await waitFor(lastFrame, 'Starting…');
	assert.deepEqual(app.resumed, ['r7']);
	app.channels[0]!.emit({
		type: 'run-start',
		runId: 'r7',
		wizard: 'uwsgi-node',
		resumed: true,
		steps: [
			{stepId: 'elevator', target: 'ssh:node1', title: 'I/O scheduler', status: 'ok'},
			{stepId: 'packages', target: 'ssh:node1', title: 'Packages', status: 'changed'},
			{stepId: 'sshd', target: 'ssh:node1', title: 'Harden sshd', status: 'running'},
		],
	});
	const frame = await waitFor(lastFrame, 'resumed');
	assert.equal(frame, ['Run r7 of uwsgi-node · 3 steps · resumed, 2 done before', 'Reading the targets…', '  l log  q quit'].join('\n'));
	app.channels[0]!.emit({type: 'facts', target: 'ssh:node1', count: 14, ms: 320});
	await waitFor(lastFrame, 'read 14 facts');
});

test('opened on a run, the app exits with the run’s status when it ends', async () => {
	const channel = new FakeChannel();
	const app = renderApp({initial: channel});
	channel.emit(...runUpToSshd());
	await waitFor(app.lastFrame, 'Harden sshd');
	channel.emit({type: 'run-end', runId: 'r1', status: 'interrupted', counts, notDone: []});
	await waitUntil(() => app.exits.length > 0);
	assert.deepEqual(app.exits, ['interrupted']);
	// Once the app has exited, the last frame written is the one before the final newline.
	assert.equal(
		plain(app.frames.findLast(frame => frame.trim() !== ''))
			.split('\n')
			.slice(3)
			.join('\n'),
		['', 'Interrupted: 1 ok, 2 changed, 0 failed, 0 skipped, 0 deferred', 'Resume with: waymark resume r1', 'l log'].join('\n'),
	);
});

test('opened on a guide with targets given, the form is prefilled; a two-role guide sends both bindings', async () => {
	const started: StartRequest[] = [];
	const exits: AppExitStatus[] = [];
	const {lastFrame, stdin} = render(
		<App
			wizards={[nodeGuide, vpnGuide]}
			runs={[]}
			startRun={request => {
				started.push(request);
				return new FakeChannel();
			}}
			resumeRun={() => new FakeChannel()}
			initial={{screen: 'guide', guide: 'peervpn', bindings: {node: ['ssh:a', 'ssh:b']}}}
			onExit={status => exits.push(status)}
		/>,
	);
	await waitFor(lastFrame, 'PeerVPN mesh (peervpn)');
	stdin.write('\r');
	const form = await waitFor(lastFrame, 'Targets');
	assert.equal(
		form,
		[
			'PeerVPN mesh · targets and parameters',
			'',
			'Targets',
			'❯ target for node        ssh:a, ssh:b',
			'    local, ssh:[USER@]HOST[:PORT] or root:DIR (DIR absolute); several separated by commas',
			'  target for controller',
			'',
			'⏎ next  tab/shift+tab/↑↓ move  esc back',
		].join('\n'),
	);
	stdin.write('\r');
	await waitFor(lastFrame, '❯ target for controller');
	stdin.write('local');
	await waitFor(lastFrame, 'target for controller  local');
	stdin.write('\r');
	await waitUntil(() => started.length > 0);
	assert.deepEqual(started, [{guide: 'peervpn', bindings: {node: ['ssh:a', 'ssh:b'], controller: ['local']}, answers: {}}]);
	await waitFor(lastFrame, 'Starting…');
	assert.deepEqual(exits, []);
});

test('ctrl+c on the home screen leaves', async () => {
	const app = renderApp();
	await waitFor(app.lastFrame, 'Guides');
	app.stdin.write('\u0003');
	await waitUntil(() => app.exits.length > 0);
	assert.deepEqual(app.exits, ['quit']);
});

test('a new run starts from the guide’s last run: its targets and answers are in the form', async () => {
	const asked: string[] = [];
	const app = renderApp({
		lastRun: guide => {
			asked.push(guide);
			return {bindings: {server: ['ssh:root@node7']}, answers: {node_ip: '192.0.2.77'}};
		},
	});
	await waitFor(app.lastFrame, 'Guides');
	app.stdin.write('\r');
	await waitFor(app.lastFrame, 'Roles: server');
	app.stdin.write('\r');
	const form = await waitFor(app.lastFrame, 'Parameters');
	assert.deepEqual(asked, ['uwsgi-node']);
	assert.match(plain(form), /target for server\s+ssh:root@node7/);
	assert.match(plain(form), /node_ip\s+192\.0\.2\.77/);
});
