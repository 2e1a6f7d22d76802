// Faults in Waymark's own storage, through the real CLI: a corrupt or foreign run file, a read-only, full or
// unwritable WAYMARK_HOME, a transcript that is a directory. Each is a message naming the path and what to do,
// exit 1 (or 2 for bad input), never a stack trace, and the other runs stay usable.
import assert from 'node:assert/strict';
import {chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {cliCommand, repoRoot, waymark} from './cli.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-faults-'));
const image = join(base, 'image');
const answers = join(base, 'answers.yaml');
const root = process.getuid?.() === 0;
const skipRoot = root ? false : process.env['CI'] === 'true' ? false : 'needs root for private mounts and another user';

/** No trace, no internals: what an operator sees is a sentence and a remedy. */
function assertNoTrace(stderr: string): void {
	assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, stderr);
	assert.doesNotMatch(stderr, /SyntaxError|TypeError|#deserialize/, stderr);
}

/** Runs the CLI inside a private mount namespace after `setup` (a shell script) prepared WAYMARK_HOME there. */
async function inMountNamespace(setup: string, home: string, args: readonly string[]): Promise<{exitCode: number; stdout: string; stderr: string}> {
	const [file, ...rest] = cliCommand(...args);
	const script = `set -e\n${setup}\nexec "$@"`;
	const result = await execa('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', file!, ...rest], {
		cwd: repoRoot,
		env: {WAYMARK_HOME: home, CI: 'true'},
		reject: false,
		timeout: 120_000,
	});
	return {
		exitCode: result.exitCode ?? -1,
		stdout: String(result.stdout),
		stderr: `${String(result.stderr)}${result.exitCode === undefined ? ` (${result.message})` : ''}`,
	};
}

describe('storage faults', () => {
	const home = join(base, 'home');
	let goodRun = '';

	before(async () => {
		mkdirSync(join(image, 'etc/ssh'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(image, 'etc/ssh/sshd_config'));
		mkdirSync(join(image, 'etc/pam.d'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/pam/debian-12-sshd'), join(image, 'etc/pam.d/sshd'));
		writeFileSync(answers, 'publicIp: 192.0.2.60\napiDomain: faults.example.test\n');
		const first = await waymark(['run', 'uwsgi-node', '--target', `root:${image}`, '--answers', answers, '--yes', '--json'], {WAYMARK_HOME: home});
		assert.equal(first.exitCode, 0, String(first.stderr));
		goodRun = readdirSync(join(home, 'runs'))[0]!.replace(/\.json$/, '');
	});

	after(() => {
		rmSync(base, {recursive: true, force: true});
	});

	for (const [name, content, reason] of [
		['corrupt', 'not json', /it is not JSON/],
		['foreign', '{"order": 5}', /its id is not a string/],
		['empty', '', /the file is empty/],
	] as const) {
		test(`a ${name} run file is named and skipped; the others stay listed; resuming it says how to move it aside`, async () => {
			const id = `uwsgi-node-${name}`;
			const path = join(home, 'runs', `${id}.json`);
			writeFileSync(path, content);
			try {
				const runs = await waymark(['runs', '--json'], {WAYMARK_HOME: home});
				assert.equal(runs.exitCode, 0, String(runs.stderr));
				assert.deepEqual(
					(JSON.parse(String(runs.stdout)) as Array<{id: string}>).map(run => run.id),
					[goodRun],
				);
				assert.match(String(runs.stderr), reason);
				assert.ok(String(runs.stderr).includes(`mv ${path} ${path}.bad`));
				const resumed = await waymark(['resume', id, '--yes'], {WAYMARK_HOME: home});
				assert.equal(resumed.exitCode, 1);
				assert.match(String(resumed.stderr), new RegExp(`Run ${id} cannot be read`));
				assertNoTrace(String(resumed.stderr));
			} finally {
				rmSync(path, {force: true});
			}
		});
	}

	test('a run id that climbs out of the runs folder, or holds a newline, is refused as bad input', async () => {
		for (const id of ['../../etc/passwd', 'a\nb']) {
			const result = await waymark(['resume', id], {WAYMARK_HOME: home});
			assert.equal(result.exitCode, 2, String(result.stderr));
			assert.match(String(result.stderr), /is not a run id/);
			assertNoTrace(String(result.stderr));
		}
	});

	test('a transcript that is a directory is named with what to do', async () => {
		const record = JSON.parse(readFileSync(join(home, 'runs', `${goodRun}.json`), 'utf8')) as Record<string, unknown>;
		writeFileSync(join(home, 'runs', `${goodRun}.json`), JSON.stringify({...record, status: 'interrupted'}));
		const transcript = join(home, 'transcripts', `${goodRun}.ndjson`);
		rmSync(transcript, {force: true});
		mkdirSync(transcript);
		try {
			const result = await waymark(['resume', goodRun, '--yes', '--json'], {WAYMARK_HOME: home});
			assert.equal(result.exitCode, 1);
			assert.match(String(result.stderr), new RegExp(`Cannot write ${transcript.replaceAll('.', '\\.')}: it is a directory`));
			assert.match(String(result.stderr), /mv .*\.ndjson .*\.bad/);
			assertNoTrace(String(result.stderr));
		} finally {
			rmSync(transcript, {recursive: true, force: true});
		}
	});

	test('a read-only WAYMARK_HOME: the run stops before anything happens, saying so', {skip: skipRoot}, async () => {
		const readOnly = join(base, 'ro-home');
		mkdirSync(readOnly);
		const result = await inMountNamespace(`mount -t tmpfs tmpfs "$WAYMARK_HOME" && mount -o remount,ro "$WAYMARK_HOME"`, readOnly, [
			'run',
			'uwsgi-node',
			'--target',
			`root:${join(base, 'ro-image')}`,
			'--answers',
			answers,
			'--yes',
		]);
		assert.equal(result.exitCode, 1, result.stderr);
		assert.match(result.stderr, /the filesystem is read-only/);
		assert.match(result.stderr, /WAYMARK_HOME=/);
		assertNoTrace(result.stderr);
	});

	test('a full WAYMARK_HOME: a message to free space and resume, no trace', {skip: skipRoot}, async () => {
		const full = join(base, 'full-home');
		mkdirSync(full);
		const result = await inMountNamespace(
			`mount -t tmpfs -o size=64k tmpfs "$WAYMARK_HOME" && (dd if=/dev/zero of="$WAYMARK_HOME/filler" bs=4k 2>/dev/null || true)`,
			full,
			['run', 'uwsgi-node', '--target', `root:${join(base, 'full-image')}`, '--answers', answers, '--yes'],
		);
		assert.equal(result.exitCode, 1, result.stderr);
		assert.match(result.stderr, /no space left on the device/);
		assert.match(result.stderr, /Free some space/);
		assertNoTrace(result.stderr);
	});

	test('a WAYMARK_HOME this user may not write: names chmod and WAYMARK_HOME', {skip: skipRoot}, async () => {
		const locked = join(base, 'locked-home');
		mkdirSync(locked);
		// Another user's private directory, and root without the capabilities that override file modes: the checkout
		// stays readable wherever it is (a fresh clone in a 0700 temp dir), only WAYMARK_HOME is out of reach.
		chownSync(locked, 65534, 65534);
		chmodSync(locked, 0o700);
		const [file, ...rest] = cliCommand('run', 'uwsgi-node', '--target', `root:${join(base, 'locked-image')}`, '--answers', answers, '--yes');
		const result = await execa('setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', file!, ...rest], {
			cwd: repoRoot,
			env: {WAYMARK_HOME: join(locked, 'home'), CI: 'true', HOME: '/nonexistent'},
			reject: false,
			timeout: 120_000,
		});
		assert.equal(result.exitCode, 1, String(result.stderr));
		assert.match(String(result.stderr), /permission denied/);
		assert.match(String(result.stderr), /chmod/);
		assertNoTrace(String(result.stderr));
	});
});
