// The hypervisors guide (foundation MaaS) on fresh Debian 12 and 13 hosts through the real CLI: the MaaS as a web and
// a database server on two hosts, and two LXC hypervisors, with only the required answers. Then the guide's goal on
// the fresh hosts: the MaaS keeps its autossh tunnels up, each hypervisor's loopback relay port reaches the MaaS
// nginx through its tunnel (and so does the containers' port on the loopback alias), the tunnel key runs no command,
// and tcp/4443 and sshd on a hypervisor are open to the MaaS only.
// A second block binds the guide's own way, an Ansible INI inventory with the MaaS on one host, run with --forks 2,
// and stops a run with SIGTERM while apt unpacks (which ends dpkg on the host) before it resumes.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, before, describe, test} from 'node:test';
import {createLabNetwork, type LabHost, type LabNetwork, type Suite} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {secretPieces} from '../../source/engine/redact.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {guideEndToEnd} from './guide-matrix.js';
import {readAll} from './read-all.js';

const operator = 'spike';
const maasPort = 4443;
const relayPort = 44443;
const containerPort = 64443;

/** Polls `probe` until it returns something, at most `attempts` times and `timeoutMs` in all; the last value otherwise. */
async function until<T>(probe: () => Promise<T | undefined>, {attempts = 120, timeoutMs = 60_000, intervalMs = 250} = {}): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	for (let attempt = 0; attempt < attempts && Date.now() < deadline; attempt++) {
		const found = await probe();
		if (found !== undefined) {
			return found;
		}

		await sleep(intervalMs);
	}

	return undefined;
}

/** curl from inside `from`'s network namespace (the machine's curl: a bare image has none). */
async function curlFrom(from: LabHost, url: string): Promise<{exitCode: number; body: string; stderr: string}> {
	const result = await from.machineExec(['curl', '-sSk', '--max-time', '3', url], {timeoutMs: 10_000});
	return {exitCode: result.exitCode, body: result.stdout, stderr: result.stderr};
}

/**
 * The guide's goal between fresh hosts. `web` is the MaaS web server (it dials the tunnels and serves the site);
 * `outsiders` are lab hosts that are not the MaaS, which the hypervisors' firewall must keep off tcp/4443.
 */
async function provesTheGoal(web: LabHost, hypervisors: readonly LabHost[], outsiders: readonly LabHost[], home: string): Promise<void> {
	// The units the wizard started are running (systemd itself says so, on a MaaS that never had autossh).
	const units = hypervisors.map(hypervisor => `autossh-tunnel@${hypervisor.alias}.service`);
	const states = await web.exec(`systemctl is-active ${units.join(' ')}`);
	const journal = async () => (await web.exec('journalctl -n 40 --no-pager -u "autossh-tunnel@*"')).stdout;
	assert.equal(states.stdout, units.map(() => 'active\n').join(''), `${states.stdout}${await journal()}`);
	assert.equal((await web.exec('command -v autossh')).stdout, '/usr/bin/autossh\n');

	// A token only the MaaS serves: each hypervisor's 127.0.0.1:44443 must lead to this very nginx.
	const token = randomBytes(12).toString('hex');
	const put = await web.exec(`printf %s ${token} > /var/www/html/waymark-token.txt`);
	assert.equal(put.exitCode, 0, put.stderr);
	for (const hypervisor of hypervisors) {
		const url = `https://127.0.0.1:${relayPort}/waymark-token.txt`;
		const reached = await until(async () => {
			const got = await curlFrom(hypervisor, url);
			return got.body === token ? got : undefined;
		});
		const last = reached ?? (await curlFrom(hypervisor, url));
		assert.equal(last.body, token, `${hypervisor.alias}: ${url}: ${last.stderr}`);
		// The guide's second hop for containers: the loopback alias's port leads into the same tunnel.
		const forContainers = await curlFrom(hypervisor, `https://192.168.49.49:${containerPort}/waymark-token.txt`);
		assert.equal(forContainers.body, token, `${hypervisor.alias}: the containers' port: ${forContainers.stderr}`);
		// The relay listens on the hypervisor's loopback only (GatewayPorts stays off for it).
		assert.match((await hypervisor.exec(`ss -Htln "sport = :${relayPort}"`)).stdout, new RegExp(`^LISTEN .* 127\\.0\\.0\\.1:${relayPort} `, 'm'));
		assert.equal((await curlFrom(web, `https://${hypervisor.address!}:${relayPort}/`)).exitCode === 0, false, 'the relay port answers from outside');
	}

	// The tunnel key holds its port open and does nothing else: no shell, no command, even asked directly.
	const asTunnel = 'setpriv --reuid tunnel --regid tunnel --init-groups env -i HOME=/home/tunnel PATH=/usr/bin:/bin';
	for (const hypervisor of hypervisors) {
		// The account's own ssh config and key, without the forward (the unit holds that port already).
		const shell = await web.exec(`${asTunnel} ssh -o BatchMode=yes -o ClearAllForwardings=yes hypervisor-${hypervisor.alias} id`, {timeoutMs: 30_000});
		// Exit 1 is sshd's ForceCommand /bin/false: the key was accepted and still nothing else ran (ssh's own errors are 255).
		assert.equal(shell.exitCode, 1, `${shell.stdout}${shell.stderr}`);
		assert.doesNotMatch(shell.stdout, /uid=/);
	}

	// tcp/4443 on a hypervisor: dropped for everyone but the MaaS (a timeout, not a refusal), open to the MaaS. The
	// listener takes one connection and exits: an outsider let in would take it, and the MaaS's knock would fail.
	for (const hypervisor of hypervisors) {
		const listener = hypervisor.machineExec(['timeout', '40', 'socat', `TCP-LISTEN:${maasPort},reuseaddr`, 'SYSTEM:echo maas-port-open'], {timeoutMs: 45_000});
		const knock = async (from: LabHost) =>
			from.machineExec(['socat', '-T', '3', '-', `TCP:${hypervisor.address!}:${maasPort},connect-timeout=3`], {timeoutMs: 10_000});
		for (const outsider of outsiders.filter(each => each !== hypervisor)) {
			const result = await knock(outsider);
			assert.notEqual(result.exitCode, 0, `${outsider.alias} reached ${hypervisor.alias}:${maasPort}`);
			assert.match(result.stderr, /timed out/i, `${outsider.alias} → ${hypervisor.alias}:${maasPort} must be dropped, not refused: ${result.stderr}`);
		}

		const fromMaas = await until(
			async () => {
				const result = await knock(web);
				return result.stdout === 'maas-port-open\n' ? result : undefined;
			},
			{attempts: 40, timeoutMs: 20_000},
		);
		assert.ok(fromMaas, `the MaaS cannot reach ${hypervisor.alias}:${maasPort}`);
		assert.equal((await listener).exitCode, 0, 'the listener took the MaaS connection and ended');
		const rules = await hypervisor.exec('iptables -S WAYMARK-MAAS; iptables -S INPUT | grep WAYMARK');
		const port = `-p tcp -m tcp --dport ${maasPort}`;
		const ssh = '-p tcp -m tcp --dport 22';
		const chain = [
			'-N WAYMARK-MAAS',
			`-A WAYMARK-MAAS -s ${web.address!}/32 ${port} -j ACCEPT`,
			`-A WAYMARK-MAAS ${port} -j DROP`,
			`-A WAYMARK-MAAS -i lo ${ssh} -j ACCEPT`,
			`-A WAYMARK-MAAS -s ${web.address!}/32 ${ssh} -j ACCEPT`,
			`-A WAYMARK-MAAS ${ssh} -j DROP`,
			'-A INPUT -p tcp -j WAYMARK-MAAS',
		];
		assert.equal(rules.stdout, `${chain.join('\n')}\n`);
		// The real way in: the hypervisor's sshd answers the MaaS (its tunnels above came that way) and drops the rest.
		for (const outsider of outsiders.filter(each => each !== hypervisor)) {
			const result = await outsider.machineExec(['socat', '-T', '3', '-', `TCP:${hypervisor.address!}:22,connect-timeout=3`], {timeoutMs: 10_000});
			assert.match(result.stderr, /timed out/i, `${outsider.alias} → ${hypervisor.alias}:22 must be dropped: ${result.stderr}`);
		}

		const banner = await web.machineExec(['socat', '-T', '3', '-', `TCP:${hypervisor.address!}:22,connect-timeout=3`], {timeoutMs: 10_000, input: ''});
		assert.match(banner.stdout, /^SSH-2\.0-/, `the MaaS reaches ${hypervisor.alias}'s sshd`);
	}

	// The operator key from the vault logs in as the operator, who may use sudo.
	const vaultKey = join(home, 'vault/hypervisors/operator/id_ed25519');
	assert.equal(statSync(vaultKey).mode & 0o777, 0o600);
	for (const host of [web, ...hypervisors, ...outsiders.filter(each => !hypervisors.includes(each))]) {
		const login = await host.ssh('id -un; id -nG', {sshOptions: ['-l', operator, '-o', `IdentityFile=${vaultKey}`]});
		assert.equal(login.exitCode, 0, `${host.alias}: ${login.stderr}`);
		assert.match(login.stdout, new RegExp(`^${operator}\\n.*\\bsudo\\b`), host.alias);
	}
}

/**
 * The two-server MaaS works: the web server logs in to its database across the lab network with the file the wizard
 * wrote, MariaDB listens on the database server's address, and its user may come from the web server only (a login
 * from a hypervisor with the same file is refused by MariaDB for its host).
 */
async function reachesItsDatabase(web: LabHost, db: LabHost, other: LabHost): Promise<void> {
	const login = await web.exec("mariadb --defaults-file=/etc/waymark/hypervisors/maas-db.cnf -N -B -e 'SELECT DATABASE(), CURRENT_USER()'");
	assert.equal(login.exitCode, 0, login.stderr);
	assert.equal(login.stdout, `drupal\tdrupal@${web.address!}\n`);
	const listening = await db.exec('awk \'$4 == "0A" {print $2}\' /proc/net/tcp');
	const dbHex = db
		.address!.split('.')
		.reverse()
		.map(byte => Number(byte).toString(16).padStart(2, '0').toUpperCase())
		.join('');
	assert.match(listening.stdout, new RegExp(`^${dbHex}:0CEA$`, 'm'), 'MariaDB listens on the database server address');
	// A bare hypervisor has no MariaDB client, and only the server's greeting matters: to an address no account may
	// come from, MariaDB answers the TCP connection with an error packet at once.
	const greeting = await other.machineExec(['timeout', '5', 'bash', '-c', `exec 3<>/dev/tcp/${db.address!}/3306 && head -c 300 <&3 | tr -c '[:print:]' .`], {
		timeoutMs: 10_000,
	});
	assert.match(greeting.stdout, /is not allowed to connect to this MariaDB server/, greeting.stderr);
}

await guideEndToEnd({
	wizard: 'hypervisors',
	roles: [
		{role: 'webserver', count: 1},
		{role: 'dbserver', count: 1},
		{role: 'hypervisor', count: 2},
	],
	// The hypervisors' names are ssh aliases of this machine; the MaaS dials them at their lab addresses.
	// The guide's first example: web and database apart, so MariaDB listens on the database server's address too.
	answers: hosts => ({
		operatorUser: operator,
		maasAddress: hosts['webserver']![0]!.address!,
		tunnelEndpoints: hosts['hypervisor']!.map(host => host.address!),
		dbAddress: hosts['dbserver']![0]!.address!,
		webAddress: hosts['webserver']![0]!.address!,
	}),
	// apt is unpacking packages on some host: the moment a lost connection hurts most (the dpkg lock).
	killAt: /Unpacking /,
	// Made for each deployment: the MaaS site's key and self-signed certificate, and the database password's files.
	perDeployment: [/^\/etc\/nginx\/ssl\//, /^\/etc\/mysql\/waymark-maas-database\.sql$/, /^\/etc\/waymark\/hypervisors\/maas-db\.cnf$/],
	async works(hosts, run) {
		const web = hosts['webserver']![0]!;
		await reachesItsDatabase(web, hosts['dbserver']![0]!, hosts['hypervisor']![0]!);
		await provesTheGoal(web, hosts['hypervisor']!, [hosts['dbserver']![0]!, ...hosts['hypervisor']!], run.home);
	},
});

const skip = await labSkipReason();

/** Runs the CLI until `when` shows in its output, then stops it as Ctrl-C or a service manager would (SIGTERM). Bounded. */
async function stopWhen(argv: readonly string[], env: Record<string, string>, when: RegExp, timeoutMs = 600_000): Promise<string> {
	const [file, ...rest] = argv;
	const child = spawn(file!, rest, {cwd: repoRoot, env: {...process.env, ...env, CI: 'true'}, stdio: ['ignore', 'pipe', 'pipe']});
	let printed = '';
	let stopped = false;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${when} never showed, or the run did not end after SIGTERM, within ${timeoutMs} ms:\n${printed.slice(-3000)}`));
		}, timeoutMs);
		const onData = (chunk: Buffer) => {
			printed += chunk.toString();
			if (!stopped && when.test(printed)) {
				stopped = true;
				child.kill('SIGTERM');
			}
		};

		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', code => {
			clearTimeout(timer);
			if (stopped) {
				resolve(printed);
			} else {
				reject(new Error(`the run ended (exit ${code}) before ${when} showed:\n${printed.slice(-3000)}`));
			}
		});
	});
}

/** The guide's binding: an Ansible INI inventory, the MaaS's web and database server on one host, two hypervisors. */
function inventoryBlock(image: Suite): void {
	describe(`hypervisors from an Ansible inventory with --forks 2 on fresh Debian ${image === 'bookworm' ? 12 : 13}`, {skip}, () => {
		const base = mkdtempSync(join(tmpdir(), 'waymark-e2e-hv-inventory-'));
		const home = join(base, 'home');
		const env = {WAYMARK_HOME: home};
		let lab: LabNetwork | undefined;
		let bind: string[] = [];
		let args: string[] = [];
		const outputs: string[] = [];
		const host = (index: number): LabHost => lab!.hosts[index]!;

		before(async () => {
			lab = await createLabNetwork(3, {prefix: 'hvinv', image});
			const inventory = join(base, 'hosts');
			writeFileSync(inventory, `[webserver]\n${host(0).alias}\n\n[dbserver]\n${host(0).alias}\n\n[hypervisors]\n${host(1).alias}\n${host(2).alias}\n`);
			const answers = join(base, 'answers.yaml');
			writeFileSync(answers, `operatorUser: ${operator}\nmaasAddress: ${host(0).address!}\ntunnelEndpoints: [${host(1).address!}, ${host(2).address!}]\n`);
			bind = ['--inventory', inventory, '--ssh-config', lab.sshConfig, '--answers', answers];
			args = [...bind, '--forks', '2'];
		});

		after(async () => {
			await lab?.destroy();
			rmSync(base, {recursive: true, force: true});
		});

		test('stopped (SIGTERM) while apt unpacks, which ends dpkg on the host; resume finishes dpkg and ends done', async () => {
			const printed = await stopWhen(cliCommand('run', 'hypervisors', ...args, '--yes', '--plain'), env, /Unpacking /);
			outputs.push(printed);
			const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{status: string}>;
			assert.notEqual(runs[0]?.status, 'done', 'the run was stopped before it finished');
			// The stop left dpkg half done on some host: what made every later apt-get refuse until dpkg --configure -a.
			const audits = await Promise.all(lab!.hosts.map(async each => (await each.exec('ls -A /var/lib/dpkg/updates; dpkg --audit')).stdout.trim()));
			assert.ok(
				audits.some(audit => audit !== ''),
				'no host has an unfinished dpkg run: the stop came too late to test anything',
			);
			const result = await waymark(['resume', '--yes', '--json'], env);
			outputs.push(String(result.stdout), String(result.stderr));
			const events = jsonEvents(String(result.stdout));
			const end = events.at(-1) as {type: string; status: string; counts: Record<string, number>};
			const failed = events
				.filter(event => event.type === 'step-end' && event.status === 'failed')
				.map(event => `${String(event.stepId)}@${String(event.target)}: ${String(event.message)}`);
			assert.equal(end.type, 'run-end', String(result.stderr));
			assert.deepEqual(failed, []);
			assert.equal(end.status, 'done');
			assert.equal(result.exitCode, 0);
			const targets = new Set(events.filter(event => event.type === 'step-end').map(event => String(event.target)));
			assert.deepEqual([...targets].sort(), [0, 1, 2].map(index => `ssh:${host(index).alias}`).sort());
		});

		test('a second run from the inventory, two hosts at a time, changes nothing', async () => {
			const again = await waymark(['run', 'hypervisors', ...args, '--yes', '--json'], env);
			outputs.push(String(again.stdout), String(again.stderr));
			const second = jsonEvents(String(again.stdout)).at(-1) as {type?: string; status: string; counts: Record<string, number>} | undefined;
			assert.ok(second?.type === 'run-end', `exit ${again.exitCode}: ${String(again.stdout).slice(-3000)}${String(again.stderr)}`);
			assert.equal(second.status, 'done', String(again.stdout).slice(-3000));
			assert.equal(second.counts['changed'], 0);
		});

		test('after the stop, the resume and a second run, check passes: it judges with the keys the runs installed', async () => {
			const result = await waymark(['check', 'hypervisors', ...bind, '--json'], env);
			outputs.push(String(result.stdout), String(result.stderr));
			const findings = jsonEvents(String(result.stdout)) as Array<{target: string; stepId: string; id: string; status: string; evidence: string}>;
			assert.ok(findings.length > 0, String(result.stderr));
			const failing = findings.filter(finding => finding.status === 'fail');
			assert.deepEqual(
				failing.map(finding => `${finding.target} ${finding.stepId} ${finding.id}: ${finding.evidence}`),
				[],
			);
			assert.equal(result.exitCode, 0, String(result.stderr));
			// The tunnels themselves are judged, not only their units.
			// One finding per tunnel (tunnel-HOST), beside the step's own state finding (tunnel-client:state).
			const tunnels = findings.filter(finding => finding.stepId === 'tunnel-client' && /^tunnel-hvinv\d$/.test(finding.id));
			assert.deepEqual(
				tunnels.map(finding => [finding.id, finding.status]),
				[1, 2].map(index => [`tunnel-${host(index).alias}`, 'pass']),
			);
		});

		test('the tunnels reach the MaaS from both hypervisors; the firewall lets the MaaS alone in', async () => {
			await provesTheGoal(host(0), [host(1), host(2)], [host(1), host(2)], home);
		});

		test('no private key appears in what the CLI printed', () => {
			const keys = ['operator', 'tunnel'].map(folder => join(home, `vault/hypervisors/${folder}/id_ed25519`));
			const pieces = keys.flatMap(file => secretPieces(readFileSync(file, 'utf8'))).filter(piece => piece.length >= 16);
			assert.ok(pieces.length > 0);
			const printed = [...outputs, readAll(join(home, 'transcripts')), readAll(join(home, 'runs'))].join('\n');
			for (const piece of pieces) {
				assert.ok(!printed.includes(piece), 'a private key reached the output');
			}
		});
	});
}

inventoryBlock('bookworm');
inventoryBlock('trixie');
