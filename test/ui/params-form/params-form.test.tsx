import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {StartRequest} from '../../../source/engine/channel.js';
import {ParamsForm} from '../../../source/ui/params-form/params-form.js';
import {nodeGuide} from '../fixtures.js';
import {waitFor, waitUntil} from '../wait-for.js';

afterEach(() => {
	cleanup();
});

const backspace = '\u007F';

function renderForm() {
	const started: StartRequest[] = [];
	const view = render(<ParamsForm wizard={nodeGuide} onSubmit={request => started.push(request)} onBack={() => {}} />);
	return {...view, started};
}

/** Types text one key at a time, waiting for each key to show, as a person would. */
async function type(view: ReturnType<typeof renderForm>, text: string) {
	for (const char of text) {
		const before = view.lastFrame();
		view.stdin.write(char);
		// A space at the end of a line does not show in the frame.
		if (char !== ' ') {
			await waitUntil(() => view.lastFrame() !== before);
		}
	}
}

test('shows the fields with defaults prefilled and the help of the focused one', async () => {
	const {lastFrame} = renderForm();
	const frame = await waitFor(lastFrame, 'Parameters');
	assert.equal(
		frame,
		[
			'uWSGI.it node · targets and parameters',
			'',
			'Targets',
			'❯ target for server',
			'    local, ssh:[USER@]HOST[:PORT] or root:DIR (DIR absolute); several separated by commas',
			'',
			'Parameters',
			'  node_ip',
			'  ssh_port           22',
			'  scheduler          deadline',
			'  quota              yes',
			'  api_key',
			'',
			'⏎ next  tab/shift+tab/↑↓ move  esc back',
		].join('\n'),
	);
});

test('a bad IP shows the message naming the field under it, nothing starts; the fixed value goes on', async () => {
	const view = renderForm();
	const {lastFrame, stdin, started} = view;
	await waitFor(lastFrame, 'Parameters');
	await type(view, 'ssh:node1');
	stdin.write('\r');
	await waitFor(lastFrame, '❯ node_ip');
	await type(view, '10.0.0.300');
	stdin.write('\r');
	const frame = await waitFor(lastFrame, '✗');
	assert.equal(
		frame,
		[
			'uWSGI.it node · targets and parameters',
			'',
			'Targets',
			'  target for server  ssh:node1',
			'',
			'Parameters',
			'❯ node_ip            10.0.0.300',
			'    the public address of this node (an IPv4 address such as 192.0.2.10)',
			'    ✗ node_ip: got "10.0.0.300"; expected an IPv4 address such as 192.0.2.10',
			'  ssh_port           22',
			'  scheduler          deadline',
			'  quota              yes',
			'  api_key',
			'',
			'⏎ next  tab/shift+tab/↑↓ move  esc back',
		].join('\n'),
	);
	assert.deepEqual(started, []);

	await type(view, backspace.repeat(3));
	await type(view, '30');
	stdin.write('\r');
	await waitFor(lastFrame, '❯ ssh_port');
	assert.ok(!lastFrame()!.includes('✗'));
	assert.deepEqual(started, []);
});

test('enum via ←/→ (↑/↓ still move between fields), boolean via y/n, secret masked; the last ⏎ sends the typed request', async () => {
	const view = renderForm();
	const {lastFrame, stdin, started} = view;
	await waitFor(lastFrame, 'Parameters');
	await type(view, 'ssh:admin@node1:2222, local');
	stdin.write('\r');
	await waitFor(lastFrame, '❯ node_ip');
	await type(view, '192.0.2.10');
	stdin.write('\r');
	await waitFor(lastFrame, '❯ ssh_port');
	stdin.write('\r');
	const choosing = await waitFor(lastFrame, '❯ scheduler');
	assert.equal(
		choosing.split('\n').slice(7, 12).join('\n'),
		[
			'  ssh_port           22',
			'❯ scheduler          deadline',
			'    the I/O scheduler (one of deadline, noop)',
			'    deadline  noop (←/→ or space)',
			'  quota              yes',
		].join('\n'),
	);
	// ↓ moves on without changing the choice, ↑ comes back; → picks the next choice.
	stdin.write('\u001B[B');
	await waitFor(lastFrame, '❯ quota');
	assert.match(lastFrame() ?? '', /^ {2}scheduler {10}deadline$/m);
	stdin.write('\u001B[A');
	await waitFor(lastFrame, '❯ scheduler');
	stdin.write('\u001B[C');
	await waitFor(lastFrame, '❯ scheduler          noop');
	stdin.write('\r');
	await waitFor(lastFrame, '❯ quota');
	stdin.write('n');
	await waitFor(lastFrame, 'quota              no (y/n)');
	stdin.write('\r');
	await waitFor(lastFrame, '❯ api_key');
	await type(view, 's3cret');
	const masked = await waitFor(lastFrame, '❯ api_key            ******');
	assert.ok(!masked.includes('s3cret'));
	assert.deepEqual(started, []);
	stdin.write('\r');
	await waitUntil(() => started.length > 0);
	assert.deepEqual(started, [
		{
			guide: 'uwsgi-node',
			bindings: {server: ['ssh:admin@node1:2222', 'local']},
			answers: {node_ip: '192.0.2.10', ssh_port: '22', scheduler: 'noop', quota: false, api_key: 's3cret'},
		},
	]);
});

test('nothing is sent while a field is invalid: ⏎ on the last field shows every message and focuses the first', async () => {
	const view = renderForm();
	const {lastFrame, stdin, started} = view;
	await waitFor(lastFrame, 'Parameters');
	await type(view, 'ftp:node1');
	for (let field = 0; field < 5; field++) {
		stdin.write('\t');
	}

	await waitFor(lastFrame, '❯ api_key');
	stdin.write('\r');
	const frame = await waitFor(lastFrame, '✗');
	assert.equal(
		frame,
		[
			'uWSGI.it node · targets and parameters',
			'',
			'Targets',
			'❯ target for server  ftp:node1',
			'    local, ssh:[USER@]HOST[:PORT] or root:DIR (DIR absolute); several separated by commas',
			'    ✗ target for server: "ftp:node1": unknown kind of target; expected local, ssh:[USER@]HOST[:PORT]',
			'       or root:DIR (DIR absolute)',
			'',
			'Parameters',
			'  node_ip',
			'    ✗ node_ip: is empty; expected an IPv4 address such as 192.0.2.10',
			'  ssh_port           22',
			'  scheduler          deadline',
			'  quota              yes',
			'  api_key',
			'',
			'⏎ next  tab/shift+tab/↑↓ move  esc back',
		].join('\n'),
	);
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	assert.deepEqual(started, []);
});

test('keys that arrive together all count: a burst of backspaces, a paste with its Enter, Ctrl+U', async () => {
	const view = renderForm();
	const {lastFrame, stdin} = view;
	await waitFor(lastFrame, 'Parameters');
	// A paste, Enter included, in one write: the text lands whole and Enter moves on.
	stdin.write('ssh:node1\r');
	await waitFor(lastFrame, '❯ node_ip');
	stdin.write('10.0.0.300');
	await waitFor(lastFrame, '❯ node_ip            10.0.0.300');
	// Four backspaces in one burst delete four characters, not one.
	stdin.write('\u007F\u007F\u007F\u007F');
	await waitFor(lastFrame, '❯ node_ip            10.0.0');
	// Ctrl+U clears the field (never types a "u"); then many single keys in quick succession, none lost.
	stdin.write('\u0015');
	await waitUntil(() => /^❯ node_ip\s*$/m.test(lastFrame() ?? ''));
	for (const char of '192.0.2.10') {
		stdin.write(char);
	}

	await waitFor(lastFrame, '❯ node_ip            192.0.2.10');
	assert.doesNotMatch(lastFrame() ?? '', /u192|10\.0\.0/);
});

test('Enters typed ahead are not lost: one burst moves through text, choice and yes-or-no fields as single keys would', async () => {
	const view = renderForm();
	const {lastFrame, stdin, started} = view;
	await waitFor(lastFrame, 'Parameters');
	// Through Ink's own input path: a text field's editor hands the keys after its Enter on to the next field.
	stdin.write('ssh:node1\r192.0.2.10\r\r\r');
	await waitFor(lastFrame, '❯ quota');
	assert.match(lastFrame() ?? '', /node_ip {12}192\.0\.2\.10/);
	// A burst on a yes-or-no field (handled by the form, not an editor): toggled, then on to the next field.
	stdin.write(' \r');
	await waitFor(lastFrame, '❯ api_key');
	assert.match(lastFrame() ?? '', /quota {14}no/);
	stdin.write('key\r');
	await waitUntil(() => started.length === 1);
	assert.equal(started[0]?.answers['api_key'], 'key');
	assert.equal(started[0]?.answers['quota'], false);
});

test('esc with something typed asks first: any other key stays with what was typed, a second esc leaves', async () => {
	let left = 0;
	const view = render(<ParamsForm wizard={nodeGuide} onSubmit={() => {}} onBack={() => left++} />);
	await waitFor(view.lastFrame, 'Parameters');
	await type(view as ReturnType<typeof renderForm>, 'local');
	view.stdin.write('\u001B');
	await waitFor(view.lastFrame, 'Leave the form?');
	assert.equal(left, 0, 'nothing thrown away on one key');
	assert.match(view.lastFrame() ?? '', /Leave the form\? What you typed here is lost\. esc: leave · any other key: stay/);
	view.stdin.write('\t');
	await waitUntil(() => !(view.lastFrame() ?? '').includes('Leave the form?'));
	assert.match(view.lastFrame() ?? '', /target for server\s+local/);
	view.stdin.write('\u001B');
	await waitFor(view.lastFrame, 'Leave the form?');
	view.stdin.write('\u001B');
	await waitUntil(() => left === 1);
});

test('esc on an untouched form leaves at once', async () => {
	let left = 0;
	const view = render(<ParamsForm wizard={nodeGuide} onSubmit={() => {}} onBack={() => left++} />);
	await waitFor(view.lastFrame, 'Parameters');
	view.stdin.write('\u001B');
	await waitUntil(() => left === 1);
	assert.doesNotMatch(view.lastFrame() ?? '', /Leave the form/);
});
