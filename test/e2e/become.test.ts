// --become: an operator who logs in as an ordinary user gets root through sudo, with or without a password.
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason, terminalSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {startTerminal} from './terminal.js';

const skip = (await labSkipReason()) ?? (await terminalSkipReason());
const base = mkdtempSync(join(tmpdir(), 'waymark-become-'));
const password = 'correct horse battery staple 42';
// Steps that write root's files, one of them guarded: enough to show every command and write went through sudo.
const steps = ['--only', 'directories,uwsgi-local-ini,sshd-hardening'];

describe('--become through sudo', {skip}, () => {
	let lab: LabHost;
	let answers = '';

	before(async () => {
		lab = await createLabHost({name: 'become'});
		// The operator's side of --become: an account with sudo, on a bare image that has no sudo of its own.
		const users = await lab.exec(
			[
				'set -e',
				'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo >/dev/null',
				'for u in op op2; do useradd -m -s /bin/sh $u; mkdir -p -m 700 /home/$u/.ssh; cp /root/.ssh/authorized_keys /home/$u/.ssh/; chown -R $u:$u /home/$u/.ssh; done',
				'echo "op ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/op',
				'echo "op2 ALL=(ALL) ALL" > /etc/sudoers.d/op2',
				'chmod 440 /etc/sudoers.d/op /etc/sudoers.d/op2',
				`echo 'op2:${password}' | chpasswd`,
			].join('\n'),
		);
		assert.equal(users.exitCode, 0, users.stderr);
		answers = join(base, 'answers.yaml');
		writeFileSync(answers, 'publicIp: 192.0.2.20\napiDomain: become.example.test\n');
	});

	after(async () => {
		await lab?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('without a password (NOPASSWD) the whole guide runs as root', async () => {
		const env = {WAYMARK_HOME: join(base, 'home-op')};
		const result = await waymark(
			['run', 'uwsgi-node', '--target', `ssh:op@${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', answers, ...steps, '--become', '--yes', '--json'],
			env,
		);
		assert.equal(result.exitCode, 0, String(result.stderr) + String(result.stdout).slice(-1500));
		const owner = await lab.exec('stat -c %U /etc/uwsgi/local.ini /etc/ssh/sshd_config.d/00-waymark.conf');
		assert.equal(owner.stdout, 'root\nroot\n');
		const end = jsonEvents(String(result.stdout)).at(-1) as {counts: {failed: number}};
		assert.equal(end.counts.failed, 0);
	});

	test('with a password it is asked once, never shown and never stored', async () => {
		const home = join(base, 'home-op2');
		await lab.exec('rm -rf /etc/uwsgi /etc/ssh/sshd_config.d/00-waymark.conf');
		const terminal = startTerminal({
			command: cliCommand(
				'run',
				'uwsgi-node',
				'--target',
				`ssh:op2@${lab.alias}`,
				'--ssh-config',
				lab.sshConfig,
				'--answers',
				answers,
				...steps,
				'--become',
				'--yes',
				'--plain',
			),
			cwd: repoRoot,
			env: {WAYMARK_HOME: home},
			columns: 160,
			rows: 50,
		});
		try {
			await terminal.waitFor('sudo password', {timeoutMs: 60_000});
			await terminal.type(password);
			await terminal.press('Enter');
			const exit = await terminal.waitForExit({timeoutMs: 180_000});
			const screen = await terminal.screen();
			assert.equal(exit.exitCode, 0, screen);
			assert.ok(!screen.includes(password));
		} finally {
			await terminal.close();
		}

		assert.equal((await lab.exec('stat -c %U /etc/uwsgi/local.ini')).stdout, 'root\n');
		// sudo gets the password on its own stdin, never the script: no file it wrote carries it.
		const leaked = await lab.exec(`grep -rlF ${JSON.stringify(password)} /etc/uwsgi /etc/ssh /etc/iptables /etc/udev 2>/dev/null; true`);
		assert.equal(leaked.stdout, '');
		for (const entry of readdirSync(home, {withFileTypes: true, recursive: true})) {
			if (entry.isFile()) {
				assert.ok(!readFileSync(join(entry.parentPath, entry.name), 'utf8').includes(password), entry.name);
			}
		}

		const runs = JSON.parse(String((await waymark(['runs', '--json'], {WAYMARK_HOME: home})).stdout)) as Array<{status: string}>;
		assert.equal(runs[0]?.status, 'done');
	});
});
