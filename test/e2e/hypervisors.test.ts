// The hypervisors wizard through the real CLI in a real terminal, over ssh, against three lab hosts bound by an
// Ansible inventory: hv1 is the web and database server, hv2 and hv3 are hypervisors. Then the tunnel unit's own
// command line is started on hv1 and an HTTPS request on each hypervisor's loopback port reaches hv1's nginx.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, before, describe, test} from 'node:test';
import {createLabNetwork, type LabHost, type LabNetwork} from '../lab/lab-host.js';
import {ensurePackages, labSkipReason, terminalSkipReason} from '../lab/packages.js';
import {fixture} from '../edits/fixture.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {readAll} from './read-all.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = (await labSkipReason()) ?? (await terminalSkipReason());
const base = mkdtempSync(join(tmpdir(), 'waymark-e2e-hv-'));
const home = join(base, 'home');
const env = {WAYMARK_HOME: home};
const token = randomBytes(12).toString('hex');

describe('hypervisors end to end', {skip}, () => {
	let lab: LabNetwork;
	let terminal: Terminal | undefined;
	let args: string[] = [];
	const outputs: string[] = [];
	const host = (index: number): LabHost => lab.hosts[index]!;

	before(async () => {
		await ensurePackages(['autossh', 'pv', 'nginx', 'curl']);
		lab = await createLabNetwork(3, {prefix: 'hv'});
		// php-fpm is not installable offline: its two config files, as Debian 12 ships them, stand in for the package.
		const web = await host(0).exec(
			'mkdir -p /etc/php/8.2/fpm/pool.d /var/www/html && cat > /etc/php/8.2/fpm/php.ini && printf %s "$TOKEN" > /var/www/html/waymark-token.txt'.replace('$TOKEN', token),
			{input: fixture('php/debian-12-php.ini-production')},
		);
		assert.equal(web.exitCode, 0, web.stderr);
		assert.equal((await host(0).exec('cat > /etc/php/8.2/fpm/pool.d/www.conf', {input: fixture('php/debian-12-www.conf')})).exitCode, 0);
		const inventory = join(base, 'hosts');
		writeFileSync(inventory, '[webserver]\nhv1\n\n[dbserver]\nhv1\n\n[hypervisors]\nhv2\nhv3\n');
		const answers = join(base, 'answers.yaml');
		writeFileSync(
			answers,
			[
				'operatorUser: spike',
				`maasAddress: ${host(0).address!}`,
				`tunnelEndpoints: [${host(1).address!}, ${host(2).address!}]`,
				// Offline lab: only packages it already has.
				'hypervisorPackages: [openssh-server, iptables]',
				'maasPackages: [openssh-server, nginx]',
				'dbPackages: [openssh-server]',
			].join('\n'),
		);
		args = ['--inventory', inventory, '--ssh-config', lab.sshConfig, '--answers', answers, '--yes', '--forks', '2'];
	});

	after(async () => {
		await terminal?.close();
		await lab?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('killed with SIGKILL in the middle of the run, it resumes and finishes', async () => {
		terminal = startTerminal({command: cliCommand('run', 'hypervisors', ...args, '--plain'), cwd: repoRoot, env: {...env, CI: undefined}, columns: 160, rows: 50});
		await terminal.waitFor('Firewall: the MaaS port', {timeoutMs: 180_000});
		await terminal.kill('SIGKILL');
		assert.equal((await terminal.waitForExit({timeoutMs: 10_000})).signal, 'SIGKILL');
		const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{status: string; done: number; total: number}>;
		assert.equal(runs.length, 1);
		assert.equal(runs[0]!.status, 'running', 'the run was cut off, not finished');
		assert.ok(runs[0]!.done < runs[0]!.total);

		const resumed = await waymark(['resume', '--yes', '--json'], env);
		outputs.push(String(resumed.stdout));
		assert.equal(resumed.exitCode, 0, String(resumed.stderr) + String(resumed.stdout).slice(-3000));
		const end = jsonEvents(String(resumed.stdout)).at(-1) as {type: string; status: string; counts: {failed: number}};
		assert.equal(end.type, 'run-end');
		assert.equal(end.status, 'done');
		assert.equal(end.counts.failed, 0);
	});

	test('every host is set up: operator key works, MaaS site and php-fpm on hv1, cron, firewall and relay on the hypervisors', async () => {
		const vaultKey = join(home, 'vault/hypervisors/operator/id_ed25519');
		assert.equal(statSync(vaultKey).mode & 0o777, 0o600);
		for (const index of [0, 1, 2]) {
			const login = await host(index).ssh('id -un; id -nG', {sshOptions: ['-l', 'spike', '-o', `IdentityFile=${vaultKey}`]});
			assert.equal(login.exitCode, 0, login.stderr);
			assert.match(login.stdout, /^spike\n.*\bsudo\b/);
		}

		const web = host(0);
		assert.equal(statSync(join(web.upperDir, 'etc/nginx/ssl/nginx.key')).mode & 0o777, 0o600);
		assert.equal((await web.exec('readlink /etc/nginx/sites-enabled/cdpweather; [ -e /etc/nginx/sites-enabled/default ] || echo no-default; nginx -t 2>&1 | tail -n 1')).stdout, '/etc/nginx/sites-available/cdpweather\nno-default\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
		const php = await web.exec('grep -E "^(cgi.fix_pathinfo|post_max_size)" /etc/php/8.2/fpm/php.ini; grep "^listen =" /etc/php/8.2/fpm/pool.d/www.conf');
		assert.equal(php.stdout, 'post_max_size = 200M\ncgi.fix_pathinfo=0\nlisten = 127.0.0.1:9000\n');
		for (const hypervisor of [host(1), host(2)]) {
			assert.match(readFileSync(join(hypervisor.upperDir, 'etc/cron.d/foundation'), 'utf8'), /^URL_MAAS='-k https:\/\/127\.0\.0\.1:44443'$/m);
			const rules = await hypervisor.exec('iptables -S WAYMARK-MAAS; iptables -S INPUT | grep WAYMARK');
			assert.equal(rules.stdout, `-N WAYMARK-MAAS\n-A WAYMARK-MAAS -s ${web.address!}/32 -p tcp -m tcp --dport 4443 -j ACCEPT\n-A WAYMARK-MAAS -p tcp -m tcp --dport 4443 -j DROP\n-A INPUT -p tcp -m tcp --dport 4443 -j WAYMARK-MAAS\n`);
			const sshd = await hypervisor.exec('sshd -T -C user=tunnel,host=maas,addr=10.99.0.1 | grep -E "^(allowtcpforwarding|permitlisten|permittty) "');
			assert.equal(sshd.stdout, 'permittty no\nallowtcpforwarding remote\npermitlisten 127.0.0.1:44443\n');
			assert.match((await hypervisor.exec('ip -4 -o addr show dev lo')).stdout, / 192\.168\.49\.49\/32 /);
		}
	});

	test('the unit\'s own autossh command on hv1 forwards each hypervisor\'s 127.0.0.1:44443 to the MaaS site', async () => {
		const web = host(0);
		const unit = readFileSync(join(web.upperDir, 'etc/systemd/system/autossh-tunnel@.service'), 'utf8');
		const execStart = /^ExecStart=(.+)$/m.exec(unit)![1]!;
		assert.match(unit, /^Environment=AUTOSSH_GATETIME=0$/m);
		for (const [index, name] of [[1, 'hv2'], [2, 'hv3']] as const) {
			// What systemd would run: the unit's command line, as its User=, with its Environment=, in the background.
			const started = await web.exec(`setsid -f setpriv --reuid tunnel --regid tunnel --init-groups env -i HOME=/home/tunnel PATH=/usr/bin:/bin AUTOSSH_GATETIME=0 ${execStart.replaceAll('%i', name)} > /tmp/tunnel-${name}.log 2>&1 < /dev/null`);
			assert.equal(started.exitCode, 0, started.stderr);
			let body = '';
			for (let attempt = 0; attempt < 40 && body !== token; attempt++) {
				body = (await host(index).exec('curl -sk --max-time 2 https://127.0.0.1:44443/waymark-token.txt', {timeoutMs: 5000})).stdout;
				if (body !== token) {
					await sleep(250);
				}
			}

			assert.equal(body, token, (await web.exec(`cat /tmp/tunnel-${name}.log`)).stdout);
			assert.match((await host(index).exec('ss -Htln "sport = :44443"')).stdout, /127\.0\.0\.1:44443/);
		}

		// The relay key holds the port open and does nothing else: no command runs.
		const shell = await web.exec('setpriv --reuid tunnel --regid tunnel --init-groups env -i HOME=/home/tunnel ssh -o BatchMode=yes hypervisor-hv2 id', {timeoutMs: 20_000});
		assert.notEqual(shell.exitCode, 0);
		assert.doesNotMatch(shell.stdout, /uid=/);
	});

	test('a second run reports changed: 0, and no key is in output, transcripts or run state', async () => {
		const again = await waymark(['run', 'hypervisors', ...args, '--json'], env);
		outputs.push(String(again.stdout));
		assert.equal(again.exitCode, 0, String(again.stderr) + String(again.stdout).slice(-3000));
		const end = jsonEvents(String(again.stdout)).at(-1) as {counts: {changed: number; failed: number}};
		assert.equal(end.counts.changed, 0, String(again.stdout).split('\n').filter(line => line.includes('"changed"')).join('\n'));
		assert.equal(end.counts.failed, 0);
		const secrets = [readFileSync(join(home, 'vault/hypervisors/operator/id_ed25519'), 'utf8'), readFileSync(join(host(0).upperDir, 'etc/nginx/ssl/nginx.key'), 'utf8')].map(pem => pem.split('\n')[2]!);
		const seen = [readAll(join(home, 'transcripts')), readAll(join(home, 'runs')), ...outputs].join('\n');
		for (const secret of secrets) {
			assert.ok(secret.length > 40 && !seen.includes(secret), 'a key leaked');
		}
	});
});
