import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Param} from '../../source/engine/types.js';
import {askParams} from '../../source/plain/ask-params.js';
import {waitUntil} from '../ui/wait-for.js';
import {capture, fakeTerminal} from './streams.js';

const nodeIp: Param = {name: 'node_ip', type: 'ipv4', help: 'the public address of this node'};

/** Waits for `text` to appear in the output, then types `keys`. */
async function answer(out: ReturnType<typeof capture>, stdin: ReturnType<typeof fakeTerminal>, text: string, keys: string) {
	await waitUntil(() => out.plainText().includes(text));
	stdin.write(keys);
}

test('an invalid answer shows the message naming the field and the expected form, and the prompt stays until it is fixed', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const answers = askParams([nodeIp], {stdin, stdout: out.stream});
	await answer(out, stdin, 'node_ip: the public address of this node (an IPv4 address such as 192.0.2.10)', '192.0.2.300\r');
	// Backspace, then enter: 192.0.2.30.
	await answer(out, stdin, 'node_ip: got "192.0.2.300"; expected an IPv4 address such as 192.0.2.10', '\u007F\r');
	assert.deepEqual(await answers, {node_ip: '192.0.2.30'});
});

test('secrets are asked masked, enums by choice, booleans by yes/no; defaults are offered', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const answers = askParams(
		[
			{name: 'psk', type: 'secret', help: 'the pre-shared key'},
			{name: 'scheduler', type: 'enum', help: 'the I/O scheduler', choices: ['deadline', 'noop'], default: 'deadline'},
			{name: 'quota', type: 'boolean', help: 'enable disk quotas'},
			{name: 'ssh_port', type: 'port', help: 'the port sshd listens on', default: '22'},
		],
		{stdin, stdout: out.stream},
	);
	await answer(out, stdin, 'psk:', 'hunter2\r');
	await answer(out, stdin, 'scheduler:', '\u001B[B\r');
	await answer(out, stdin, 'quota:', 'y\r');
	await answer(out, stdin, 'ssh_port:', '\r');
	assert.deepEqual(await answers, {psk: 'hunter2', scheduler: 'noop', quota: true, ssh_port: '22'});
	assert.ok(!out.text().includes('hunter2'), 'the secret is never echoed');
});

test('ctrl+c cancels with an error callers can branch on', async () => {
	const out = capture();
	const stdin = fakeTerminal();
	const answers = askParams([nodeIp], {stdin, stdout: out.stream});
	await answer(out, stdin, 'node_ip:', '\u0003');
	await assert.rejects(answers, (error: unknown) => (error as {isCanceled?: boolean}).isCanceled === true);
});
