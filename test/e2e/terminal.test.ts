import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {terminalSkipReason} from '../lab/packages.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = await terminalSkipReason();

// A program is gone when /proc has no entry for it, or only a zombie.
function isRunning(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

describe('terminal driver (tmux)', {skip}, () => {
	test('reads a line, shows the answer, reports the exit code', async t => {
		const terminal = startTerminal({command: ['sh', '-c', 'printf "name? "; read x; echo "got:$x"; exit 7'], columns: 60, rows: 10});
		t.after(async () => terminal.close());
		await terminal.waitFor('name?');
		await terminal.type('a b $(c) "d"');
		await terminal.press('Enter');
		const screen = await terminal.waitFor('got:');
		assert.match(screen, /^got:a b \$\(c\) "d"$/m);
		assert.deepEqual(await terminal.waitForExit({timeoutMs: 5000}), {exitCode: 7, signal: undefined});
	});

	test('uses the given size, environment and working directory; drops CI', async t => {
		const terminal = startTerminal({
			command: ['sh', '-c', 'echo "size:$(stty size)"; echo "env:${WAYMARK_X}:${CI-unset}:$TERM"; echo "cwd:$(pwd)"'],
			env: {WAYMARK_X: 'yes'},
			cwd: '/usr',
			columns: 72,
			rows: 12,
		});
		t.after(async () => terminal.close());
		await terminal.waitForExit();
		const screen = await terminal.screen();
		assert.match(screen, /^size:12 72$/m);
		assert.match(screen, /^env:yes:unset:tmux-256color$/m);
		assert.match(screen, /^cwd:\/usr$/m);
	});

	test('pid is the program itself, and kill -9 is reported as a signal', async t => {
		const terminal = startTerminal({command: ['sleep', '300']});
		t.after(async () => terminal.close());
		const pid = await terminal.pid();
		assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /^sleep\x00300\x00$/);
		assert.equal(await terminal.exitCode(), undefined);
		await terminal.kill('SIGKILL');
		assert.deepEqual(await terminal.waitForExit({timeoutMs: 5000}), {exitCode: undefined, signal: 'SIGKILL'});
	});

	test('keys by name reach the program: Ctrl-C interrupts, arrows arrive as escape sequences', async t => {
		const terminal = startTerminal({
			command: ['bash', '-c', 'trap "echo interrupted; exit 3" INT; echo ready; IFS= read -rsn3 k; printf "key:%q\\n" "$k"; while :; do sleep 0.1; done'],
		});
		t.after(async () => terminal.close());
		await terminal.waitFor('ready');
		await terminal.press('Up');
		await terminal.waitFor(/key:\$'\\E\[A'$/m);
		await terminal.press('C-c');
		await terminal.waitFor('interrupted');
		assert.deepEqual(await terminal.waitForExit(), {exitCode: 3, signal: undefined});
	});

	test('waitFor gives up in bounded time and shows the last screen', async t => {
		const terminal = startTerminal({command: ['sh', '-c', 'echo visible-text; sleep 300']});
		t.after(async () => terminal.close());
		await terminal.waitFor('visible-text');
		const started = Date.now();
		await assert.rejects(terminal.waitFor('never-there', {timeoutMs: 300}), /timed out after 300 ms[\s\S]*visible-text/);
		assert.ok(Date.now() - started < 3000);
	});

	test('a program that cannot be run exits 127 with the reason on screen', async t => {
		const terminal = startTerminal({command: ['/nonexistent/waymark-program', '--flag']});
		t.after(async () => terminal.close());
		assert.deepEqual(await terminal.waitForExit(), {exitCode: 127, signal: undefined});
		assert.match(await terminal.screen(), /cannot run \/nonexistent\/waymark-program: No such file or directory/);
	});

	test('close kills the program and the private tmux server', async () => {
		let terminal: Terminal | undefined = startTerminal({command: ['sleep', '300']});
		try {
			const pid = await terminal.pid();
			const {socket} = terminal;
			await terminal.close();
			terminal = undefined;
			assert.equal(isRunning(pid), false);
			assert.throws(() => readFileSync(socket));
		} finally {
			await terminal?.close();
		}
	});
});
