// The bundle `npm install` builds (dist/cli.js and its chunks) is what the `waymark` command runs: built here, it must
// answer as the source does (help, list, answers, a usage error), carry a real run on an offline image from start to
// finish, and draw the home screen in a real terminal. Nothing here is timed: `npm run bench` measures the start.
import assert from 'node:assert/strict';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {terminalSkipReason} from '../lab/packages.js';
import {repoRoot, waymark} from './cli.js';
import {startTerminal} from './terminal.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-bundle-'));
const env = {WAYMARK_HOME: join(base, 'home')};
const bin = join(repoRoot, 'bin/waymark');
const noTerminal = await terminalSkipReason();

after(() => {
	rmSync(base, {recursive: true, force: true});
});

/** The `waymark` command as an operator runs it; WAYMARK_FROM_SOURCE unset, so a current bundle is used. */
async function command(args: readonly string[]) {
	return execa(bin, args, {cwd: base, env: {...env, CI: 'true', WAYMARK_FROM_SOURCE: undefined}, extendEnv: true, reject: false, timeout: 120_000});
}

describe('the bundle', () => {
	before(async () => {
		const built = await execa(process.execPath, ['--import', 'tsx', 'source/build/bundle.ts'], {cwd: repoRoot, reject: false});
		assert.equal(built.exitCode, 0, String(built.stderr));
	});

	test('is what bin/waymark runs while it is current, and it loads the guides and the engine in chunks', () => {
		assert.ok(existsSync(join(repoRoot, 'dist/cli.js')));
		const chunks = readdirSync(join(repoRoot, 'dist/chunks'));
		assert.ok(chunks.length > 3, chunks.join(' '));
		// The entry itself holds no guide, engine or UI: those are chunks a command imports when it needs them.
		const entry = readFileSync(join(repoRoot, 'dist/cli.js'), 'utf8');
		assert.doesNotMatch(entry, /node-forge|react-reconciler|uwsgi\.it hosting node/);
	});

	test('answers --help, list, answers and a usage error exactly as the source does', async () => {
		for (const args of [['--help'], ['list', '--json'], ['answers', 'uwsgi-node'], ['run', 'nope'], ['--version']]) {
			const [bundled, source] = await Promise.all([command(args), waymark(args, env)]);
			assert.equal(bundled.exitCode, source.exitCode, args.join(' '));
			assert.equal(String(bundled.stdout), String(source.stdout), args.join(' '));
			assert.equal(String(bundled.stderr), String(source.stderr), args.join(' '));
		}
	});

	test('runs a guide on an offline image to the end, with its templates and keys', async () => {
		const root = join(base, 'image');
		mkdirSync(join(root, 'etc/ssh'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(root, 'etc/ssh/sshd_config'));
		mkdirSync(join(root, 'etc/pam.d'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/pam/debian-12-sshd'), join(root, 'etc/pam.d/sshd'));
		const answers = join(base, 'node1.yaml');
		writeFileSync(answers, 'publicIp: 192.0.2.10\napiDomain: node1.example.test\n');
		const result = await command(['run', 'uwsgi-node', '--target', `root:${root}`, '--answers', answers, '--yes', '--plain']);
		assert.equal(result.exitCode, 0, `${String(result.stdout).slice(-2000)}\n${String(result.stderr)}`);
		assert.match(String(result.stdout), /^Done: /m);
		assert.match(readFileSync(join(root, 'etc/ssh/sshd_config.d/00-waymark.conf'), 'utf8'), /^PasswordAuthentication no$/m);
		assert.match(readFileSync(join(root, 'etc/uwsgi/ssl/uwsgi.it.crt'), 'utf8'), /BEGIN CERTIFICATE/);
		assert.match(readFileSync(join(root, 'etc/uwsgi/local.ini'), 'utf8'), /public_ip = 192\.0\.2\.10/);
	});

	test('draws the home screen in a real terminal', {skip: noTerminal}, async () => {
		const terminal = startTerminal({command: [bin], cwd: base, env: {...env, WAYMARK_FROM_SOURCE: undefined}, columns: 100, rows: 30});
		try {
			const home = await terminal.waitFor('↑↓ choose', {timeoutMs: 30_000});
			assert.match(home, /^❯ uwsgi-node /m);
			await terminal.press('q');
			assert.equal((await terminal.waitForExit({timeoutMs: 10_000})).exitCode, 0);
		} finally {
			await terminal.close();
		}
	});

	test('runs a guide in the TUI to its summary (the renderer is loaded before the run emits its first event)', {skip: noTerminal}, async () => {
		const root = join(base, 'tui-image');
		mkdirSync(join(root, 'etc/ssh'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(root, 'etc/ssh/sshd_config'));
		const answers = join(base, 'tui.yaml');
		writeFileSync(answers, 'publicIp: 192.0.2.10\napiDomain: node1.example.test\n');
		const terminal = startTerminal({
			command: [bin, 'run', 'uwsgi-node', '--target', `root:${root}`, '--answers', answers, '--only', 'sshd-hardening', '--yes'],
			cwd: base,
			env: {...env, WAYMARK_FROM_SOURCE: undefined},
			columns: 100,
			rows: 30,
		});
		try {
			const exit = await terminal.waitForExit({timeoutMs: 60_000});
			const screen = await terminal.history();
			assert.equal(exit.exitCode, 0, screen);
			assert.match(screen, /Done: 0 ok, 1 changed/);
		} finally {
			await terminal.close();
		}
	});
});
