// The whole uwsgi-node wizard, driven through the real CLI in a real terminal, against a lab host over ssh.
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason, terminalSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {readAll} from './read-all.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = (await labSkipReason()) ?? (await terminalSkipReason());
const base = mkdtempSync(join(tmpdir(), 'waymark-e2e-'));
const home = join(base, 'home');
const env = {WAYMARK_HOME: home};
const domain = 'node1.example.test';

describe('uwsgi-node end to end', {skip}, () => {
	let lab: LabHost;
	let terminal: Terminal | undefined;
	let answers = '';
	let target = '';
	let machineRules = '';

	before(async () => {
		lab = await createLabHost({name: 'uwsgi-e2e'});
		target = `ssh:${lab.alias}`;
		machineRules = (await execa('iptables', ['-S'])).stdout;
		answers = join(base, 'answers.yaml');
		writeFileSync(
			answers,
			[
				'publicIp: 192.0.2.10',
				`apiDomain: ${domain}`,
				'peerNodes: [192.0.2.11, 192.0.2.12]',
				// Offline lab: only packages it already has, and no git sources to fetch.
				'packages: [openssh-server, iptables]',
				'ntpClient: none',
				'nssModule: ""',
				'pamLine: ""',
				'uwsgiItSource: ""',
			].join('\n'),
		);
	});

	after(async () => {
		await terminal?.close();
		await lab?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('killed with SIGKILL in the middle of the run, it resumes and finishes', async () => {
		terminal = startTerminal({
			command: cliCommand('run', 'uwsgi-node', '--target', target, '--ssh-config', lab.sshConfig, '--answers', answers, '--yes', '--plain'),
			cwd: repoRoot,
			env: {...env, CI: undefined},
			columns: 160,
			rows: 50,
		});
		await terminal.waitFor('Create the directory tree', {timeoutMs: 120_000});
		await terminal.kill('SIGKILL');
		const killed = await terminal.waitForExit({timeoutMs: 10_000});
		assert.equal(killed.signal, 'SIGKILL');
		const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{id: string; status: string; done: number; total: number}>;
		assert.equal(runs.length, 1);
		assert.equal(runs[0]!.status, 'running', 'the run was cut off, not finished');
		assert.ok(runs[0]!.done < runs[0]!.total);

		const resumed = await waymark(['resume', '--yes', '--json'], env);
		assert.equal(resumed.exitCode, 0, String(resumed.stderr) + String(resumed.stdout).slice(-2000));
		const end = jsonEvents(String(resumed.stdout)).at(-1) as {type: string; status: string; counts: {failed: number}};
		assert.equal(end.type, 'run-end');
		assert.equal(end.status, 'done');
		assert.equal(end.counts.failed, 0);
	});

	test('the host is set up as the guide wants, the modern way', async () => {
		const dropIn = await lab.exec('cat /etc/ssh/sshd_config.d/00-waymark.conf; sshd -T | grep -E "^(passwordauthentication|x11forwarding) "');
		assert.match(dropIn.stdout, /^PasswordAuthentication no$/m);
		assert.match(dropIn.stdout, /^passwordauthentication no$/m);
		const ini = await lab.exec('cat /etc/uwsgi/local.ini');
		assert.match(ini.stdout, /^\[uwsgi\]$/m);
		assert.match(ini.stdout, /^public_ip = 192\.0\.2\.10$/m);
		assert.match(ini.stdout, new RegExp(`^api_domain = ${domain.replaceAll('.', '\\.')}$`, 'm'));
		const dirs = await lab.exec('for d in /containers /distros /ns /opt/unbit/uwsgi/plugins /etc/uwsgi/vassals /etc/uwsgi/domains /etc/uwsgi/ssl /var/log/uwsgi; do [ -d $d ] || echo missing $d; done');
		assert.equal(dirs.stdout, '');
		const rules = await lab.exec('iptables -S WAYMARK-TUNTAP; iptables -S INPUT | grep WAYMARK');
		assert.equal(
			rules.stdout,
			[
				'-N WAYMARK-TUNTAP',
				'-A WAYMARK-TUNTAP -s 192.0.2.11/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
				'-A WAYMARK-TUNTAP -s 192.0.2.12/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
				'-A WAYMARK-TUNTAP -d 192.0.2.10/32 -p udp -m udp --dport 999 -j DROP',
				'-A INPUT -p udp -m udp --dport 999 -j WAYMARK-TUNTAP',
				'',
			].join('\n'),
		);
		assert.match(readFileSync(join(lab.upperDir, 'etc/iptables/rules.v4'), 'utf8'), /-A WAYMARK-TUNTAP -d 192\.0\.2\.10\/32/);
		assert.equal((await execa('iptables', ['-S'])).stdout, machineRules, 'the machine firewall is untouched');
		const key = join(lab.upperDir, `etc/uwsgi/ssl/${domain}.key`);
		assert.equal(statSync(key).mode & 0o777, 0o600);
		const check = await lab.exec(`openssl x509 -noout -subject -in /etc/uwsgi/ssl/${domain}.crt`);
		assert.match(check.stdout, new RegExp(domain.replaceAll('.', '\\.')));
	});

	test('a second run reports changed: 0', async () => {
		const again = await waymark(['run', 'uwsgi-node', '--target', target, '--ssh-config', lab.sshConfig, '--answers', answers, '--yes', '--json'], env);
		assert.equal(again.exitCode, 0, String(again.stderr));
		const end = jsonEvents(String(again.stdout)).at(-1) as {counts: {changed: number; failed: number}};
		assert.equal(end.counts.changed, 0);
		assert.equal(end.counts.failed, 0);
	});

	test('the TLS key never appears in output, transcripts or run state, and stays 0600 on the operator side', async () => {
		const key = readFileSync(join(lab.upperDir, `etc/uwsgi/ssl/${domain}.key`), 'utf8');
		const body = key.split('\n')[1]!;
		assert.ok(body.length > 40);
		assert.ok(!readAll(join(home, 'transcripts')).includes(body));
		assert.ok(!readAll(join(home, 'runs')).includes(body));
		for (const entry of readdirSync(join(home, 'secrets'), {withFileTypes: true, recursive: true})) {
			const mode = statSync(join(entry.parentPath, entry.name)).mode & 0o777;
			assert.equal(mode, entry.isDirectory() ? 0o700 : 0o600, entry.name);
		}
	});
});
