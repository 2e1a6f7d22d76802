// The persistent shell protocol, against a local sh: exact output, exit codes, stdin, streaming, many commands in a row.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {RemoteShell} from '../../source/targets/remote-shell.js';

const shell = new RemoteShell(['sh'], []);
after(async () => shell.close());

test('output, errors and exit codes come back exactly, with or without a final newline', async () => {
	assert.deepEqual(await shell.run('printf "a\\nb\\n"; printf oops >&2; exit 3'), {exitCode: 3, stdout: 'a\nb\n', stderr: 'oops'});
	assert.deepEqual(await shell.run('printf "no newline"'), {exitCode: 0, stdout: 'no newline', stderr: ''});
	assert.deepEqual(await shell.run('true'), {exitCode: 0, stdout: '', stderr: ''});
	assert.deepEqual(await shell.run('printf "x\\n\\n"'), {exitCode: 0, stdout: 'x\n\n', stderr: ''});
});

test('stdin reaches the script byte for byte, quotes and all', async () => {
	const input = 'line 1\n\'quoted\' "double" $HOME `cmd` \\ back\n\nno final newline: é ✓';
	assert.equal((await shell.run('cat', {input})).stdout, input);
});

test('each script runs in a fresh sh: exit, cd and variables do not leak', async () => {
	await shell.run('cd /; export LEAK=1; exit 0');
	assert.equal((await shell.run('printf "%s" "${LEAK:-none}"')).stdout, 'none');
});

test('lines stream as they come, held until complete', async () => {
	const lines: string[] = [];
	const result = await shell.run('i=0; while [ $i -lt 1000 ]; do echo "line $i"; i=$((i+1)); done; printf partial', {onLine: line => lines.push(line)});
	assert.equal(lines.length, 1001);
	assert.equal(lines[999], 'line 999');
	assert.equal(lines[1000], 'partial');
	assert.equal(result.exitCode, 0);
});

test('commands queue one after another on the same shell', async () => {
	const results = await Promise.all(Array.from({length: 20}, async (_, index) => shell.run(`echo ${index}`)));
	assert.deepEqual(
		results.map(result => result.stdout),
		Array.from({length: 20}, (_, index) => `${index}\n`),
	);
});

test('a stopped command ends its shell; the next command gets a new one', async () => {
	const controller = new AbortController();
	const running = shell.run('echo started; sleep 30', {signal: controller.signal, onLine: () => controller.abort()});
	assert.equal((await running).exitCode, 130);
	assert.equal((await shell.run('echo again')).stdout, 'again\n');
});

test('told beside the busy shell, a stop ends the command and everything it started; the shell carries on', async () => {
	const {spawnScript} = await import('../../source/targets/spawn.js');
	const {execFileSync} = await import('node:child_process');
	const told = new RemoteShell(['sh'], [], undefined, async script => spawnScript('sh', ['-c', script]));
	try {
		const controller = new AbortController();
		const running = told.run('echo started; sh -c "sleep 31.5"; echo never', {signal: controller.signal, onLine: () => controller.abort()});
		const stopped = await running;
		assert.equal(stopped.exitCode, 130);
		assert.ok(!stopped.stdout.includes('never'));
		let left = 'sleep';
		for (let index = 0; index < 40 && left !== ''; index++) {
			left = execFileSync('sh', ['-c', 'pgrep -f "^sleep 31.5" || true'], {encoding: 'utf8'}).trim();
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		assert.equal(left, '', 'the grandchild sleep is gone too');
		assert.equal((await told.run('echo again')).stdout, 'again\n');
	} finally {
		await told.close();
	}
});
