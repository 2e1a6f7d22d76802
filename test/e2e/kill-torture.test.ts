// SIGKILL at random instants, then resume: on an offline root:DIR (10 times) and over ssh on fresh lab hosts (3
// times). Each ends done with the same files as an uninterrupted run, no temp file left anywhere, and run state
// that still reads. The instants are printed, so a failure can be replayed.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {describe, test} from 'node:test';
import {stringify} from 'yaml';
import {createLabNetwork} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {etcDifferences, etcTree} from './guide-matrix.js';
import {installStandIns, labSource} from './lab-sources.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-kill-'));
const answers = {publicIp: '192.0.2.70', apiDomain: 'kill.example.test', peerNodes: ['192.0.2.71']};
// Key material is made per deployment: compared by mode only.
const perDeployment = [/^etc\/uwsgi\/ssl\//, /^\/etc\/uwsgi\/ssl\//];

// At exit, not in a root after hook: the runner may run that between the top-level test and the describe below.
process.once('exit', () => {
	rmSync(base, {recursive: true, force: true});
});

/** Starts the CLI and SIGKILLs it after `delayMs` (or lets it finish first); resolves when it is gone. */
async function killAfter(args: readonly string[], env: Record<string, string>, delayMs: number): Promise<'killed' | 'finished'> {
	const [file, ...rest] = cliCommand(...args);
	const child = spawn(file!, rest, {cwd: repoRoot, env: {...process.env, ...env, CI: 'true'}, stdio: 'ignore'});
	const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
	return new Promise(resolve => {
		child.on('exit', (_code, signal) => {
			clearTimeout(timer);
			resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
		});
	});
}

/** Resumes until the run is done, at most three times; a kill before the run was saved means running it again. */
async function resumeToDone(env: Record<string, string>, run: readonly string[]): Promise<string> {
	let status = '';
	for (let attempt = 0; attempt < 3 && status !== 'done'; attempt++) {
		const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{status: string}>;
		if (runs.at(-1)?.status === 'done') {
			return 'done';
		}

		const resumed = await waymark(runs.length === 0 ? run : ['resume', '--yes', '--json'], env);
		status = String(
			(jsonEvents(String(resumed.stdout)).at(-1) as {status?: string} | undefined)?.status ?? `exit ${resumed.exitCode}: ${String(resumed.stderr)}`,
		);
	}

	return status;
}

/** path → "type mode" and, for files not made per deployment, the content. */
function tree(dir: string): Map<string, string> {
	const entries = new Map<string, string>();
	for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
		const path = join(entry.parentPath, entry.name);
		const name = relative(dir, path);
		const stats = lstatSync(path);
		const content = entry.isFile() && !perDeployment.some(pattern => pattern.test(name)) ? readFileSync(path, 'utf8') : '';
		entries.set(name, `${entry.isDirectory() ? 'd' : 'f'} ${(stats.mode & 0o7777).toString(8)} ${content}`);
	}

	return entries;
}

function leftovers(dir: string, mark: RegExp): string[] {
	return readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter(name => mark.test(name.split('/').at(-1) ?? ''));
}

function seedImage(dir: string): void {
	mkdirSync(join(dir, 'etc/ssh'), {recursive: true});
	cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(dir, 'etc/ssh/sshd_config'));
	mkdirSync(join(dir, 'etc/pam.d'), {recursive: true});
	cpSync(join(repoRoot, 'test/fixtures/pam/debian-12-sshd'), join(dir, 'etc/pam.d/sshd'));
}

test('10 SIGKILLs at random instants on root:DIR, each resumed: the same files, no temp file, readable state', async t => {
	const file = join(base, 'answers.yaml');
	writeFileSync(file, stringify(answers));
	const run = (dir: string) => ['run', 'uwsgi-node', '--target', `root:${dir}`, '--answers', file, '--yes', '--json'];
	const whole = join(base, 'whole');
	seedImage(whole);
	const baseline = await waymark(run(whole), {WAYMARK_HOME: join(base, 'home-whole')});
	assert.equal(baseline.exitCode, 0, String(baseline.stderr));
	// The kills aim inside a run as long as the trials' (the first run of a checkout also fills the compile cache,
	// so it is slower): a second uninterrupted run gives the length.
	const warm = join(base, 'whole-warm');
	seedImage(warm);
	const started = Date.now();
	assert.equal((await waymark(run(warm), {WAYMARK_HOME: join(base, 'home-warm')})).exitCode, 0);
	const duration = Date.now() - started;
	const expected = tree(whole);
	let killed = 0;
	for (let trial = 0; trial < 10; trial++) {
		const dir = join(base, `trial-${trial}`);
		const home = join(base, `home-${trial}`);
		seedImage(dir);
		const delay = Math.round(100 + Math.random() * duration * 0.9);
		const how = await killAfter(run(dir), {WAYMARK_HOME: home}, delay);
		killed += how === 'killed' ? 1 : 0;
		t.diagnostic(`trial ${trial}: SIGKILL after ${delay} ms (${how})`);
		assert.equal(await resumeToDone({WAYMARK_HOME: home}, run(dir)), 'done', `trial ${trial}`);
		assert.deepEqual(
			[...tree(dir)].filter(([name, value]) => expected.get(name) !== value),
			[],
			`trial ${trial}: files differ from the uninterrupted run`,
		);
		assert.deepEqual(
			[...expected.keys()].filter(name => !tree(dir).has(name)),
			[],
			`trial ${trial}: files missing`,
		);
		assert.deepEqual(leftovers(dir, /^\.waymark\./), [], `trial ${trial}: temp files on the target`);
		assert.deepEqual(leftovers(home, /^\.waymark-tmp-|\.tmp-/), [], `trial ${trial}: temp files in WAYMARK_HOME`);
		for (const name of readdirSync(join(home, 'runs'))) {
			JSON.parse(readFileSync(join(home, 'runs', name), 'utf8'));
		}

		for (const name of readdirSync(join(home, 'transcripts'))) {
			for (const line of readFileSync(join(home, 'transcripts', name), 'utf8')
				.split('\n')
				.filter(Boolean)) {
				JSON.parse(line);
			}
		}
	}

	assert.ok(killed >= 5, `${killed} of 10 runs were cut off before they finished`);
});

describe('SIGKILL at random instants over ssh', {skip: await labSkipReason()}, () => {
	test('3 kills on fresh Debian 13 hosts, each resumed to the /etc of an uninterrupted twin', async t => {
		const network = await createLabNetwork(4, {prefix: 'kill', image: 'trixie'});
		try {
			const hosts = network.hosts;
			await Promise.all(hosts.map(async host => installStandIns(host)));
			const file = join(base, 'ssh-answers.yaml');
			writeFileSync(file, stringify({...answers, nssSource: labSource('nss-unbit'), pamSource: labSource('pam-unbit'), uwsgiItSource: labSource('uwsgi.it')}));
			const run = (alias: string) => ['run', 'uwsgi-node', '--target', `ssh:${alias}`, '--ssh-config', network.sshConfig, '--answers', file, '--yes', '--json'];
			const started = Date.now();
			const baseline = await waymark(run(hosts[0]!.alias), {WAYMARK_HOME: join(base, 'ssh-whole')});
			assert.equal(baseline.exitCode, 0, String(baseline.stderr));
			const duration = Date.now() - started;
			const expected = await etcTree(hosts[0]!);
			for (const [index, host] of hosts.slice(1).entries()) {
				const home = join(base, `ssh-home-${index}`);
				const delay = Math.round(1000 + Math.random() * (duration - 1000));
				const how = await killAfter(run(host.alias), {WAYMARK_HOME: home}, delay);
				t.diagnostic(`ssh trial ${index}: SIGKILL after ${delay} ms (${how})`);
				assert.equal(await resumeToDone({WAYMARK_HOME: home}, run(host.alias)), 'done', `ssh trial ${index}`);
				// The hosts have their own names and addresses; what the guide wrote must be the same.
				const problems = etcDifferences(expected, await etcTree(host), [...perDeployment, /^\/etc\/hostname$/]);
				assert.deepEqual(problems, [], `ssh trial ${index}`);
				const temp = await host.exec("find /etc /srv /containers -name '.waymark.*' 2>/dev/null; true");
				assert.equal(temp.stdout, '', `ssh trial ${index}: temp files on the host`);
			}
		} finally {
			await network.destroy();
		}
	});
});
