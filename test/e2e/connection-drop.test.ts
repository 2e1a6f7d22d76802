// The link to a fresh Debian 13 lab host cut by killing its ProxyCommand while apt runs there: the run ends
// interrupted (exit 3) with ssh's own reason, names the command that may still run on the host and how to see it,
// and a resume converges the host; check then agrees and the running sshd offers only keys.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {readdir, readFile, readlink} from 'node:fs/promises';
import {execa} from 'execa';
import {stringify} from 'yaml';
import {sshdOfferedProbe} from '../../source/facts/sshd.js';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {installStandIns, labSource} from './lab-sources.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-drop-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

/** Kills the ProxyCommands (socat, run by nsenter in the lab's network) that carry ssh in: the link is gone, the host runs on. */
async function cutLink(lab: LabHost): Promise<number> {
	const labNet = await readlink(`/proc/${lab.pid}/ns/net`);
	let killed = 0;
	for (const entry of await readdir('/proc')) {
		const pid = Number(entry);
		if (!Number.isInteger(pid)) {
			continue;
		}

		const [comm, net] = await Promise.all([readFile(`/proc/${pid}/comm`, 'utf8').catch(() => ''), readlink(`/proc/${pid}/ns/net`).catch(() => '')]);
		if (comm.trim() === 'socat' && net === labNet) {
			try {
				process.kill(pid, 'SIGKILL');
				killed++;
			} catch {}
		}
	}

	return killed;
}

/** iptables in the lab's own network namespace: every packet to its sshd vanishes, and nothing tells ssh so. */
function dropRule(action: '-I' | '-D'): string[] {
	return ['iptables', '-w', action, 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'DROP'];
}

/**
 * The two ways a link goes: its ProxyCommand killed (ssh notices at once), or every packet dropped (ssh notices
 * only through its keep-alives: ServerAliveInterval 15 × ServerAliveCountMax 3, so 45–60 s after the last answer).
 */
const cuts = {
	'the ProxyCommand killed': {cut: cutLink, heal: async (_lab: LabHost) => {}, guardSeconds: 120},
	'every packet dropped': {
		cut: async (lab: LabHost) => ((await lab.machineExec(dropRule('-I'))).exitCode === 0 ? 1 : 0),
		heal: async (lab: LabHost) => {
			assert.equal((await lab.machineExec(dropRule('-D'))).exitCode, 0);
		},
		// Longer than ssh takes to give up plus a resume, so the host is still waiting for a proven login.
		guardSeconds: 180,
	},
} as const;

/**
 * Starts the CLI, cuts the link once the output shows `trigger` (or, for a function, once it says so: polled every
 * 10 ms), and resolves with its exit code and output.
 */
async function runAndCut(
	args: readonly string[],
	env: Record<string, string>,
	cutter: () => Promise<number>,
	trigger: RegExp | (() => boolean),
): Promise<{code: number | null; output: string; seconds: number}> {
	const started = Date.now();
	const [file, ...rest] = cliCommand(...args);
	const child = spawn(file!, rest, {cwd: repoRoot, env: {...process.env, ...env, CI: 'true'}, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	let cut = false;
	let cutting: Promise<number> = Promise.resolve(0);
	const fire = (): void => {
		if (!cut && (typeof trigger === 'function' ? trigger() : trigger.test(output))) {
			cut = true;
			cutting = cutter();
		}
	};
	const onData = (chunk: Buffer): void => {
		output += chunk.toString();
		fire();
	};
	const poll = typeof trigger === 'function' ? setInterval(fire, 10) : undefined;

	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	// Bounded: ssh notices a dead ProxyCommand at once; the 300 s cap only stops a hung test.
	const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
	const code = await new Promise<number | null>(resolve => {
		child.on('exit', resolved => {
			clearTimeout(timer);
			clearInterval(poll);
			resolve(resolved);
		});
	});
	assert.ok(cut, `the output never showed ${String(trigger)}:\n${output}`);
	assert.ok((await cutting) > 0, 'the link was cut');
	return {code, output, seconds: (Date.now() - started) / 1000};
}

function writeAnswers(name: string): string {
	const file = join(base, name);
	writeFileSync(
		file,
		stringify({
			publicIp: '192.0.2.80',
			apiDomain: 'drop.example.test',
			peerNodes: ['192.0.2.81'],
			nssSource: labSource('nss-unbit'),
			pamSource: labSource('pam-unbit'),
			uwsgiItSource: labSource('uwsgi.it'),
		}),
	);
	return file;
}

describe('the link to a fresh host is cut', {skip: await labSkipReason()}, () => {
	test('during apt: interrupted with the reason and the orphan named; resume converges, check agrees', async t => {
		const lab = await createLabHost({name: 'drop-apt', image: 'trixie'});
		try {
			await installStandIns(lab);
			const answers = writeAnswers('answers.yaml');
			const env = {WAYMARK_HOME: join(base, 'home')};
			const target = ['--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', answers];
			const cut = await runAndCut(['run', 'uwsgi-node', ...target, '--yes', '--plain'], env, async () => cutLink(lab), /Unpacking |Setting up /);
			assert.equal(cut.code, 3, cut.output);
			t.diagnostic(
				`cut: ${cut.output
					.split('\n')
					.filter(line => /lost during|answers again/.test(line))
					.join(' | ')}`,
			);
			assert.match(cut.output, new RegExp(`The connection to ssh:${lab.alias} was lost during "[^"]+": `));
			const shown = /may still be running there \(pid \d+\): `(ssh -F \S+ drop-apt head -n 3 \/proc\/\d+\/status)` shows it/.exec(cut.output);
			assert.ok(shown, cut.output);
			// Pasted as printed, it answers on a bare image (no procps there): the process, or that it has ended.
			const pasted = await execa('sh', ['-c', shown[1]!], {reject: false});
			assert.match(`${String(pasted.stdout)}${String(pasted.stderr)}`, /^Name:|No such file/m);
			assert.match(cut.output, /When the host answers again: waymark resume uwsgi-node-/);
			assert.doesNotMatch(cut.output, /full log: `l`|fix the cause on the host/);
			assert.doesNotMatch(cut.output, /\r|\n\s+at /, 'no control characters, no stack trace');

			const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{id: string; status: string}>;
			assert.equal(runs.at(-1)?.status, 'interrupted');
			// apt may still hold the dpkg lock on the host: resume waits for it rather than failing.
			const resumed = await waymark(['resume', runs.at(-1)!.id, '--yes', '--plain', '--ssh-config', lab.sshConfig], env);
			assert.equal(resumed.exitCode, 0, `${String(resumed.stdout)}\n${String(resumed.stderr)}`);
			// Resume says it looked for the orphan first: still running (waited for) or already finished.
			assert.match(String(resumed.stdout), /the command the lost connection left running \(pid \d+\)( had finished| to finish)/);
			t.diagnostic(
				`resume: ${String(resumed.stdout)
					.split('\n')
					.filter(line => /^\s*(Done|Resuming|resuming)|left running/i.test(line))
					.join(' | ')}`,
			);
			const check = await waymark(['check', 'uwsgi-node', ...target], env);
			assert.equal(check.exitCode, 0, String(check.stdout));
			assert.match((await lab.exec(sshdOfferedProbe)).stdout, /Permission denied \(publickey\)/);
			assert.equal((await lab.ssh('true')).exitCode, 0, 'a fresh login works');
		} finally {
			await lab.destroy();
		}
	});

	test('by a firewall that drops everything: the run ends within the keep-alive bound, exit 3, with ssh’s reason', async t => {
		const lab = await createLabHost({name: 'drop-fw', image: 'bookworm'});
		try {
			await installStandIns(lab);
			const env = {WAYMARK_HOME: join(base, 'home-fw')};
			const target = ['--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', writeAnswers('answers-fw.yaml')];
			const cut = await runAndCut(
				['run', 'uwsgi-node', ...target, '--yes', '--plain'],
				env,
				async () => cuts['every packet dropped'].cut(lab),
				/Unpacking |Setting up /,
			);
			t.diagnostic(`ended after ${Math.round(cut.seconds)} s: ${cut.output.split('\n').find(line => /lost during/.test(line)) ?? ''}`);
			assert.equal(cut.code, 3, cut.output);
			// ServerAliveInterval 15 × ServerAliveCountMax 3: ssh gives up 45–60 s after the last answer.
			assert.ok(cut.seconds < 150, `bounded: ${cut.seconds} s`);
			assert.match(cut.output, /was lost during "[^"]+": Timeout, server [^ ]+ not responding\./);
			await cuts['every packet dropped'].heal(lab);
			const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{id: string; status: string}>;
			const resumed = await waymark(['resume', runs.at(-1)!.id, '--yes', '--plain'], env);
			assert.equal(resumed.exitCode, 0, `${String(resumed.stdout)}\n${String(resumed.stderr)}`);
			assert.equal((await waymark(['check', 'uwsgi-node', ...target], env)).exitCode, 0);
			assert.match((await lab.exec(sshdOfferedProbe)).stdout, /Permission denied \(publickey\)/);
			assert.equal((await lab.ssh('true')).exitCode, 0, 'a fresh login works');
		} finally {
			await lab.destroy();
		}
	});

	const positions = ['right after the lockout guard is armed', 'once the sshd drop-in is written, before or during its reload'] as const;
	for (const [how, {cut: cutter, heal, guardSeconds}] of Object.entries(cuts)) {
		for (const when of positions) {
			test(`${how}, ${when}: the host is told to heal itself, resume proves a login and finishes with the daemon hardened`, async t => {
				const lab = await createLabHost({name: `drop-${when.startsWith('right') ? 'guard' : 'edit'}${how.startsWith('every') ? '-fw' : ''}`, image: 'trixie'});
				try {
					const env = {WAYMARK_HOME: join(base, `home-${lab.alias}`)};
					const target = ['--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', writeAnswers(`answers-${lab.alias}.yaml`)];
					const guards = join(lab.rootDir, 'run/waymark-guard');
					// The guard's marker appears on the host the moment the rollback is armed: the cut comes right then.
					const armed = (): boolean => existsSync(guards) && readdirSync(guards).some(id => existsSync(join(guards, id, 'armed')));
					const written = (): boolean => existsSync(join(lab.rootDir, 'etc/ssh/sshd_config.d/00-waymark.conf'));
					const cut = await runAndCut(
						['run', 'uwsgi-node', ...target, '--only', 'sshd-hardening', '--guard-seconds', String(guardSeconds), '--yes', '--plain'],
						env,
						async () => cutter(lab),
						when.startsWith('right') ? armed : written,
					);
					t.diagnostic(`cut: ${cut.output.split('\n').find(line => /lost during/.test(line)) ?? ''}`);
					assert.equal(cut.code, 3, cut.output);
					assert.match(cut.output, /lost during "Harden sshd": .*the host restores the previous settings by itself at \d\d:\d\d:\d\d UTC/);
					await heal(lab);
					const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{id: string}>;
					const resumed = await waymark(['resume', runs.at(-1)!.id, '--yes', '--plain'], env);
					assert.equal(resumed.exitCode, 0, `${String(resumed.stdout)}\n${String(resumed.stderr)}`);
					t.diagnostic(
						`resume: ${String(resumed.stdout)
							.split('\n')
							.filter(line => /Drift|Done|Changed|Ok:/.test(line))
							.join(' | ')}`,
					);
					assert.equal(armed(), false, 'the guard was settled: proven login, disarmed');
					assert.match(String(resumed.stdout), /the rollback armed before the run stopped was still waiting; a new login worked, so it was disarmed/);
					assert.match((await lab.exec(sshdOfferedProbe)).stdout, /Permission denied \(publickey\)/);
					assert.equal((await lab.ssh('true')).exitCode, 0, 'a fresh login works');
					const check = await waymark(['check', 'uwsgi-node', ...target, '--json'], env);
					const sshd = jsonEvents(String(check.stdout)).filter(finding => finding['stepId'] === 'sshd-hardening');
					assert.ok(sshd.length > 0, String(check.stdout));
					assert.deepEqual(
						sshd.filter(finding => finding['status'] === 'fail'),
						[],
						'check agrees: the running sshd is hardened',
					);
				} finally {
					await lab.destroy();
				}
			});
		}
	}

	for (const [how, {cut: cutter, heal}] of Object.entries(cuts)) {
		test(`${how} for longer than the guard: the host restores itself, resume says so and does the step again`, async t => {
			const lab = await createLabHost({name: `drop-long${how.startsWith('every') ? '-fw' : ''}`, image: 'trixie'});
			try {
				const env = {WAYMARK_HOME: join(base, `home-${lab.alias}`)};
				const target = ['--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', writeAnswers(`answers-${lab.alias}.yaml`)];
				const guards = join(lab.rootDir, 'run/waymark-guard');
				const armed = (): boolean => existsSync(guards) && readdirSync(guards).some(id => existsSync(join(guards, id, 'armed')));
				const cut = await runAndCut(
					['run', 'uwsgi-node', ...target, '--only', 'sshd-hardening', '--guard-seconds', '15', '--yes', '--plain'],
					env,
					async () => cutter(lab),
					armed,
				);
				assert.equal(cut.code, 3, cut.output);
				// Away longer than the guard: it fires on the host, with nobody connected (bounded wait).
				for (let wait = 0; wait < 60 && armed(); wait++) {
					await new Promise(resolve => {
						setTimeout(resolve, 500);
					});
				}

				assert.equal(armed(), false, 'the guard fired within its 15 s');
				assert.equal(existsSync(join(lab.rootDir, 'etc/ssh/sshd_config.d/00-waymark.conf')), false, 'the host rolled the drop-in back');
				await heal(lab);
				const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{id: string}>;
				const resumed = await waymark(['resume', runs.at(-1)!.id, '--yes', '--plain'], env);
				t.diagnostic(
					`resume: ${String(resumed.stdout)
						.split('\n')
						.filter(line => /Drift|Done/.test(line))
						.join(' | ')}`,
				);
				assert.equal(resumed.exitCode, 0, `${String(resumed.stdout)}\n${String(resumed.stderr)}`);
				assert.match(String(resumed.stdout), /the host restored the previous settings by itself at \d\d:\d\d:\d\d UTC/);
				assert.match((await lab.exec(sshdOfferedProbe)).stdout, /Permission denied \(publickey\)/);
				assert.equal((await lab.ssh('true')).exitCode, 0);
			} finally {
				await lab.destroy();
			}
		});
	}
});
