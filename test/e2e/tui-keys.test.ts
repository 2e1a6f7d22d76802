// The TUI in a real terminal at 80×24 and 200×50, against an offline directory: missing answers are asked in the
// Ink form (and the run then waits for the operator, it never quits by itself); bursts and pastes reach a field whole;
// ↑/↓ move between fields and never change a choice.
import assert from 'node:assert/strict';
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {terminalSkipReason} from '../lab/packages.js';
import {cliCommand, repoRoot} from './cli.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = await terminalSkipReason();
const base = mkdtempSync(join(tmpdir(), 'waymark-tui-keys-'));

after(() => {
	rmSync(base, {recursive: true, force: true});
});

function image(name: string): string {
	const root = join(base, name);
	mkdirSync(join(root, 'etc/ssh'), {recursive: true});
	cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(root, 'etc/ssh/sshd_config'));
	mkdirSync(join(root, 'etc/pam.d'), {recursive: true});
	cpSync(join(repoRoot, 'test/fixtures/pam/debian-12-sshd'), join(root, 'etc/pam.d/sshd'));
	return root;
}

/** The name of the field that has the focus, from the screen. */
function focused(screen: string): string {
	return /^❯ (\S+)/m.exec(screen)?.[1] ?? '';
}

/** Presses a key until the field has the focus, watching the screen; bounded. */
async function focus(terminal: Terminal, field: string, key = 'Down'): Promise<string> {
	for (let index = 0; index < 40; index++) {
		const screen = await terminal.screen();
		if (focused(screen) === field) {
			return screen;
		}

		await terminal.press(key);
		await terminal.waitFor(next => focused(next) !== focused(screen), {timeoutMs: 5000}).catch(() => '');
	}

	throw new Error(`could not move the focus to ${field}:\n${await terminal.screen()}`);
}

for (const [columns, rows] of [
	[80, 24],
	[200, 50],
] as const) {
	describe(`the TUI at ${columns}×${rows}`, {skip}, () => {
		test('run without --answers: the form asks what is missing, and the run then waits at its first prompt', async () => {
			const root = image(`quit-${columns}`);
			const home = join(base, `home-quit-${columns}`);
			const terminal = startTerminal({
				command: cliCommand('run', 'uwsgi-node', '--target', `root:${root}`),
				cwd: repoRoot,
				env: {WAYMARK_HOME: home},
				columns,
				rows,
			});
			try {
				await terminal.waitFor('targets and parameters', {timeoutMs: 30_000});
				await focus(terminal, 'publicIp');
				await terminal.type('192.0.2.10');
				await focus(terminal, 'apiDomain');
				await terminal.type('node1.example.test');
				// Enter on the last field starts the run. One Enter per field, each once the focus has moved (an Enter
				// more would answer the run's first prompt), bounded.
				for (let index = 0; index < 20; index++) {
					const before = focused(await terminal.screen());
					if (before === '' || /Apply this plan/.test(await terminal.screen())) {
						break;
					}

					await terminal.press('Enter');
					await terminal.waitFor(next => /Apply this plan/.test(next) || focused(next) !== before, {timeoutMs: 10_000});
				}

				const asking = await terminal.waitFor('Apply this plan', {timeoutMs: 30_000});
				// The step being asked about stays on screen with its plan's question.
				assert.match(asking, /Install packages/, asking);
				// It stays there: the operator has not answered.
				await new Promise(resolve => {
					setTimeout(resolve, 1500);
				});
				assert.equal(await terminal.exitCode(), undefined, 'the TUI did not quit by itself');
				assert.match(await terminal.screen(), /Apply this plan/);
				// q stops the run (resumable), then q leaves the summary.
				await terminal.press('q');
				await terminal.waitFor('Resume with: waymark resume', {timeoutMs: 20_000});
				await terminal.press('q');
				const exit = await terminal.waitForExit({timeoutMs: 20_000});
				assert.equal(exit.exitCode, 3, await terminal.screen());
				assert.equal(readdirSync(join(home, 'runs')).length, 1);
			} finally {
				await terminal.close();
			}
		});

		test('nothing falls off the screen: the home table keeps one row per guide, the overview keeps its title and scrolls, the form keeps the focus in view', async () => {
			const terminal = startTerminal({command: cliCommand(), cwd: repoRoot, env: {WAYMARK_HOME: join(base, `home-fit-${columns}`)}, columns, rows});
			try {
				const home = await terminal.waitFor('↑↓ choose', {timeoutMs: 30_000});
				for (const guide of ['uwsgi-node', 'openvpn-p2p', 'cloudpipe', 'vpn-multinode', 'hypervisors']) {
					assert.match(home, new RegExp(`^. ${guide} .* \\d+ steps$`, 'm'), `${guide} on one row:\n${home}`);
				}

				await terminal.press('Enter');
				const overview = await terminal.waitFor('esc back', {timeoutMs: 10_000});
				assert.match(overview.split('\n')[0] ?? '', /^uwsgi\.it hosting node \(uwsgi-node\)/, overview);
				if (rows < 40) {
					assert.match(overview, /↓ \d+ more below/);
					await terminal.press('Down');
					const scrolled = await terminal.waitFor(/↑ 1 more above/, {timeoutMs: 5000});
					assert.match(scrolled.split('\n')[0] ?? '', /^uwsgi\.it hosting node/, 'the title stays while the steps scroll');
					// After the steps: the guide's instructions no step carries out, each with its reason.
					for (let i = 0; i < 30; i++) await terminal.press('Down');
					const end = await terminal.waitFor(/set \/etc\/hostname \(optional\) \[not done here\]/, {timeoutMs: 5000});
					assert.match(end, /· 4 not done here\n/);
					assert.match(end.split('\n')[0] ?? '', /^uwsgi\.it hosting node/);
					await terminal.press('Up');
					await terminal.waitFor(/↓ 1 more below/, {timeoutMs: 5000});
				} else {
					assert.match(overview, /14\. Firewall: tuntap gateway/, 'all steps shown where they fit');
				}

				await terminal.press('Enter');
				await terminal.waitFor('targets and parameters', {timeoutMs: 10_000});
				// The last field, far below the first at 80×24: the focus is on screen, and so is the form's title.
				const last = await focus(terminal, 'uwsgiItSource');
				assert.match(last, /targets and parameters/);
				assert.ok(last.split('\n').length <= rows, `fits ${rows} rows`);
			} finally {
				await terminal.close();
			}
		});

		test("--dry-run in the TUI shows each step's plan and diff, then what would change; nothing changes", async () => {
			const root = image(`dry-${columns}`);
			const answers = join(base, `dry-${columns}.yaml`);
			writeFileSync(answers, 'publicIp: 192.0.2.10\napiDomain: node1.example.test\n');
			const before = readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8');
			const terminal = startTerminal({
				command: cliCommand('run', 'uwsgi-node', '--target', `root:${root}`, '--answers', answers, '--dry-run'),
				cwd: repoRoot,
				env: {WAYMARK_HOME: join(base, `home-dry-${columns}`)},
				columns,
				rows,
			});
			try {
				const exit = await terminal.waitForExit({timeoutMs: 60_000});
				const screen = await terminal.history();
				assert.equal(exit.exitCode, 0, screen);
				assert.match(screen, /\+PasswordAuthentication no/, 'the sshd drop-in diff is shown');
				assert.match(screen, /Dry run: \d+ step\(s\) would change something; nothing was changed:/);
				assert.match(screen, / {2}Harden sshd on root:/);
				assert.equal(readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8'), before);
				assert.deepEqual(readdirSync(root).sort(), ['etc']);
			} finally {
				await terminal.close();
			}
		});

		test('a paste with its Enter, a burst of backspaces and Ctrl+U reach the field whole; ↓ never changes a choice', async () => {
			const root = image(`keys-${columns}`);
			const terminal = startTerminal({
				command: cliCommand('run', 'uwsgi-node', '--target', `root:${root}`),
				cwd: repoRoot,
				env: {WAYMARK_HOME: join(base, `home-keys-${columns}`)},
				columns,
				rows,
			});
			try {
				await terminal.waitFor('targets and parameters', {timeoutMs: 30_000});
				// ↓ across the ioScheduler choice moves on and leaves bfq as it was.
				await focus(terminal, 'ioScheduler');
				await terminal.press('Down');
				await terminal.waitFor(screen => focused(screen) === 'nomodeset', {timeoutMs: 5000});
				assert.match(await terminal.screen(), /^ {2}ioScheduler\s+bfq$/m);
				await focus(terminal, 'publicIp');
				// One burst: a paste of a wrong address, four backspaces, more text.
				await terminal.type('192.0.2.300\u007F\u007F\u007F\u007F.10');
				await terminal.waitFor(/^❯ publicIp\s+192\.0\.2\.10$/m, {timeoutMs: 5000});
				await terminal.press('C-u');
				await terminal.waitFor(/^❯ publicIp\s*$/m, {timeoutMs: 5000});
				await terminal.type('203.0.113.10\r');
				const after = await terminal.waitFor(screen => focused(screen) === 'apiDomain', {timeoutMs: 5000});
				assert.match(after, /^ {2}publicIp\s+203\.0\.113\.10$/m, 'the paste and its Enter arrived whole');
			} finally {
				await terminal.close();
			}
		});
	});
}
