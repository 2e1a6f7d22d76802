// The TUI in a real terminal: home → overview → form (a bad answer named, then fixed) → run with prompts,
// quit mid-run, resume from the home screen, summary. Against an offline root:DIR, so no lab is needed.
import assert from 'node:assert/strict';
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {terminalSkipReason} from '../lab/packages.js';
import {cliCommand, repoRoot} from './cli.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = await terminalSkipReason();
const base = mkdtempSync(join(tmpdir(), 'waymark-tui-'));
const root = join(base, 'image');
const env = {WAYMARK_HOME: join(base, 'home')};

/** Ink reads a burst of keys as one; one key at a time is how a person types. */
async function keys(terminal: Terminal, ...names: string[]): Promise<void> {
	for (const name of names) {
		await terminal.press(name);
		await new Promise(resolve => {
			setTimeout(resolve, 60);
		});
	}
}

/** The first start is literally what the README says: `npm start`. */
/** Moves the focus with Tab until the named field has it: one key, then wait for the screen to show the move. */
async function focus(terminal: Terminal, field: string): Promise<void> {
	const focused = (screen: string) => /^❯ (\S+)/m.exec(screen)?.[1] ?? '';
	for (let index = 0; index < 40; index++) {
		const before = await terminal.screen();
		if (focused(before) === field) {
			return;
		}

		await terminal.press('Tab');
		for (let wait = 0; wait < 40 && focused(await terminal.screen()) === focused(before); wait++) {
			await new Promise(resolve => {
				setTimeout(resolve, 25);
			});
		}
	}

	throw new Error(`could not move the focus to ${field}:\n${await terminal.screen()}`);
}

/** Presses Enter, one field at a time, until the screen shows `expected` (the form's last field submits). */
async function submit(terminal: Terminal, expected: string): Promise<string> {
	for (let index = 0; index < 30; index++) {
		const screen = await terminal.screen();
		if (screen.includes(expected)) {
			return screen;
		}

		// ⏎ belongs to the form only: once it is gone, an ⏎ more would answer the run's first prompt.
		if (!screen.includes('targets and parameters')) {
			break;
		}

		await keys(terminal, 'Enter');
		for (let wait = 0; wait < 20 && (await terminal.screen()) === screen; wait++) {
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}
	}

	return terminal.waitFor(expected, {timeoutMs: 30_000});
}

function open(command = cliCommand()): Terminal {
	return startTerminal({command, cwd: repoRoot, env, columns: 120, rows: 45});
}

describe('the TUI', {skip}, () => {
	before(() => {
		mkdirSync(join(root, 'etc/ssh'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(root, 'etc/ssh/sshd_config'));
		mkdirSync(join(root, 'etc/pam.d'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/pam/debian-12-sshd'), join(root, 'etc/pam.d/sshd'));
	});

	after(() => {
		rmSync(base, {recursive: true, force: true});
	});

	test('npm start opens the home screen; a run is set up in the form, quit, resumed and finished', async () => {
		const first = open(['npm', 'start', '--silent']);
		try {
			await first.waitFor('Waymark · server-setup guides', {timeoutMs: 30_000});
			await first.waitFor(/uwsgi-node\s+uwsgi\.it hosting node/);
			await keys(first, 'Enter');
			await first.waitFor('Harden sshd');
			await keys(first, 'Enter');
			await first.waitFor('targets and parameters');
			await first.type(`root:${root}`);
			await focus(first, 'publicIp');
			await first.type('192.0.2.300');
			await focus(first, 'apiDomain');
			await first.type('node1.example.test');
			await submit(first, '✗ publicIp: got "192.0.2.300"; expected an IPv4 address such as 192.0.2.10');
			assert.equal(existsSync(join(env.WAYMARK_HOME, 'runs')), false, 'nothing started (nor saved) while a field is invalid');
			await keys(first, 'BSpace', 'BSpace', 'BSpace');
			await first.type('10');
			const prompt = await submit(first, 'Apply this plan to');
			assert.match(prompt, /⏎\/y apply {2}s skip {2}a abort .*q quit/);
			// On an offline image the package and clock steps only defer commands; the udev rule is the first file.
			assert.match(prompt, /Fair I\/O scheduler[\s\S]*Apply this plan to/);
			await keys(first, 's');
			await first.waitFor(/skipped by the operator[\s\S]*Apply this plan/);
			await keys(first, 'q');
			await first.waitFor('Resume with: waymark resume uwsgi-node-');
			await keys(first, 'q');
			const stopped = await first.waitForExit({timeoutMs: 20_000});
			assert.equal(stopped.exitCode, 3, 'interrupted: resumable');
		} finally {
			await first.close();
		}

		// The second session works where the operator keeps files: the summary's `s` writes the answers here.
		const second = startTerminal({command: [join(repoRoot, 'bin/waymark')], cwd: base, env, columns: 120, rows: 45});
		try {
			await second.waitFor('Resume', {timeoutMs: 30_000});
			await keys(second, 'Tab', 'Enter');
			await second.waitFor('resume?');
			await keys(second, 'y');
			// The skipped step stays skipped; the rest is applied, except the PAM step that refuses a missing module.
			for (let index = 0; index < 40; index++) {
				const screen = await second.screen();
				if (/Done: /.test(screen)) {
					break;
				}

				if (/What now\?/.test(screen)) {
					await keys(second, 's');
				} else if (/Apply this plan to/.test(screen)) {
					await keys(second, 'y');
				}

				await new Promise(resolve => {
					setTimeout(resolve, 250);
				});
			}

			const done = await second.waitFor('Done: ', {timeoutMs: 30_000});
			// The operator's skip; the PAM and NSS edits wait for the live host as a whole instead of being refused.
			assert.match(done, /Done: \d+ ok, \d+ changed, 0 failed, 1 skipped, \d+ deferred/);
			assert.match(done, /Not done here \(\d+; each with what to do: waymark runs\):/);
			assert.match(done, /⏎ back to guides {2}s save answers/);
			await keys(second, 's');
			const saved = await second.waitFor('Replay (change --target', {timeoutMs: 10_000});
			const file = /Answers saved to \.\/(uwsgi-node-\S+\.answers\.yaml) \(secrets left out/.exec(saved)?.[1];
			assert.ok(file, saved);
			assert.match(readFileSync(join(base, file), 'utf8'), /^publicIp: "192\.0\.2\.10"$/m);
			const replay = /Replay \(change --target for another host\): (waymark run uwsgi-node --target \S+ --answers \S+ --yes)/.exec(
				saved.replaceAll('\n', ' '),
			)?.[1];
			assert.ok(replay, saved);
			// Pasted as printed (a dry run here, so the image is left as the run made it): no question, no missing answer.
			const pasted = await execa('sh', ['-c', `${replay.replace(/^waymark /, `${join(repoRoot, 'bin/waymark')} `)} --dry-run --plain`], {
				cwd: base,
				env: {...process.env, ...env},
				reject: false,
			});
			assert.equal(pasted.exitCode, 0, `${String(pasted.stdout)}\n${String(pasted.stderr)}`);
			// Back home, the run's lines are gone from the screen: the home screen starts at the top.
			await keys(second, 'Enter');
			const home = await second.waitFor('↑↓ choose', {timeoutMs: 10_000});
			assert.equal(home.split('\n')[0], 'Waymark · server-setup guides', home);
			assert.doesNotMatch(home, /Done: |Harden sshd ·/);
			await keys(second, 'q');
			assert.equal((await second.waitForExit({timeoutMs: 20_000})).exitCode, 0);
		} finally {
			await second.close();
		}

		assert.match(readFileSync(join(root, 'etc/uwsgi/local.ini'), 'utf8'), /^public_ip = 192\.0\.2\.10$/m);
		assert.match(readFileSync(join(root, 'etc/ssh/sshd_config.d/00-waymark.conf'), 'utf8'), /^PasswordAuthentication no$/m);
		assert.equal(statSync(join(root, 'etc/uwsgi/ssl/uwsgi.it.key')).mode & 0o777, 0o600);
	});
});
