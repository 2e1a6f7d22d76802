// Both OpenVPN wizards through the real CLI against lab hosts over ssh, and real tunnels made from what they wrote:
// openvpn-p2p (TLS with pinned fingerprints, and the guide's static key) and cloudpipe (project CA, revocation).
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, before, describe, test} from 'node:test';
import {createLabNetwork, type LabHost, type LabNetwork} from '../lab/lab-host.js';
import {labSkipReason, terminalSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = (await labSkipReason()) ?? (await terminalSkipReason());
const password = 'correct horse battery';

function readAll(dir: string): string {
	let text = '';
	for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			text += readFileSync(join(entry.parentPath, entry.name), 'utf8');
		}
	}

	return text;
}

/** Polls a lab file until it matches, at most `tries` times half a second apart. */
async function waitForLog(host: LabHost, path: string, pattern: RegExp, tries = 40): Promise<string> {
	let text = '';
	for (let i = 0; i < tries; i++) {
		text = (await host.exec(`cat ${path} 2>/dev/null`)).stdout;
		if (pattern.test(text)) {
			return text;
		}

		await sleep(500);
	}

	return text;
}

function endOf(stdout: string): {status: string; counts: {changed: number; failed: number}} {
	return jsonEvents(stdout).at(-1) as {status: string; counts: {changed: number; failed: number}};
}

describe('openvpn-p2p end to end', {skip}, () => {
	const base = mkdtempSync(join(tmpdir(), 'waymark-p2p-'));
	const env = {WAYMARK_HOME: join(base, 'home')};
	const answers = join(base, 'answers.yaml');
	let network: LabNetwork;
	let terminal: Terminal | undefined;
	let args: string[] = [];

	before(async () => {
		network = await createLabNetwork(2, {prefix: 'p2p'});
		writeFileSync(answers, ['serverPublicAddress: 10.99.0.1', 'nginx: true', `authPassword: "${password}"`].join('\n'));
		args = ['--target', `server=ssh:${network.hosts[0]!.alias}`, '--target', `client=ssh:${network.hosts[1]!.alias}`, '--ssh-config', network.sshConfig, '--answers', answers];
	});

	after(async () => {
		await terminal?.close();
		await network?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('--dry-run shows every file (keys masked) and every command, and changes nothing', async () => {
		const dry = await waymark(['run', 'openvpn-p2p', ...args, '--yes', '--dry-run', '--plain'], env);
		const out = String(dry.stdout);
		for (const path of ['/etc/openvpn/server/mistio/server.key', '/etc/openvpn/server/mistio.conf', '/etc/openvpn/server/mistio/up.sh', '/etc/iproute2/rt_tables.d/waymark.conf', '/etc/nginx/.htpasswd', '/etc/openvpn/client/mistio/client.key', '/etc/openvpn/client/mistio.conf', '/etc/sysctl.d/90-waymark-openvpn-p2p.conf']) {
			assert.ok(out.includes(path), `dry run names ${path}`);
		}

		assert.match(out, /new secret file \/etc\/openvpn\/server\/mistio\/server\.key \(\d+ bytes, mode 600; content not shown\)/);
		assert.match(out, /iptables -w -t nat -C POSTROUTING -o eth0 -j MASQUERADE/);
		assert.match(out, /openvpn --daemon openvpn-server-mistio/);
		assert.doesNotMatch(out, /BEGIN PRIVATE KEY|BEGIN OpenVPN Static key/);
		assert.ok(!out.includes(password));
		assert.deepEqual(await network.hosts[0]!.changedFiles(), []);
	});

	test('killed with SIGKILL mid-run, it resumes; the TLS tunnel comes up and a ping crosses it', async () => {
		terminal = startTerminal({command: cliCommand('run', 'openvpn-p2p', ...args, '--yes', '--plain'), cwd: repoRoot, env: {...env, CI: undefined}, columns: 160, rows: 50});
		await terminal.waitFor('Keys of the client', {timeoutMs: 120_000});
		await terminal.kill('SIGKILL');
		assert.equal((await terminal.waitForExit({timeoutMs: 10_000})).signal, 'SIGKILL');
		const resumed = await waymark(['resume', '--yes', '--json', '--answers', answers], env);
		assert.equal(resumed.exitCode, 0, String(resumed.stderr) + String(resumed.stdout).slice(-2000));
		assert.equal(endOf(String(resumed.stdout)).status, 'done');
		const [server, client] = network.hosts;
		assert.match(await waitForLog(server!, '/var/log/openvpn/server-mistio.log', /Initialization Sequence Completed/), /Initialization Sequence Completed/);
		assert.match(await waitForLog(client!, '/var/log/openvpn/client-mistio.log', /Initialization Sequence Completed/), /peer-fingerprint|Initialization Sequence Completed/);
		const ping = await server!.exec('ping -c 1 -W 3 10.0.0.5');
		assert.equal(ping.exitCode, 0, ping.stdout + ping.stderr);
		const routing = await server!.exec('ip rule show; ip route show table 1');
		assert.match(routing.stdout, /from 10\.0\.0\.10 lookup mistio/);
		assert.match(routing.stdout, /default via 10\.0\.0\.5 dev tun0/);
		const nat = await client!.exec('iptables -t nat -S POSTROUTING; cat /proc/sys/net/ipv4/ip_forward; stat -c %a /etc/openvpn/client/mistio/client.key');
		assert.match(nat.stdout, /-A POSTROUTING -o eth0 -j MASQUERADE\n1\n600\n/);
		const htpasswd = await server!.exec('cat /etc/nginx/.htpasswd; stat -c %a /etc/nginx/.htpasswd');
		assert.match(htpasswd.stdout, /^admin:\$6\$/);
	});

	test('a second run reports changed: 0, and no key or password is in output, transcripts or run state', async () => {
		const again = await waymark(['run', 'openvpn-p2p', ...args, '--yes', '--json'], env);
		assert.equal(again.exitCode, 0, String(again.stderr));
		assert.equal(endOf(String(again.stdout)).counts.changed, 0);
		const key = (await network.hosts[0]!.exec('sed -n 2p /etc/openvpn/server/mistio/server.key; sed -n 2p /etc/openvpn/server/mistio/tls-crypt.key')).stdout.trim().split('\n');
		for (const secret of [...key, password]) {
			assert.ok(secret.length > 16);
			for (const where of [String(again.stdout), readAll(join(env.WAYMARK_HOME, 'transcripts')), readAll(join(env.WAYMARK_HOME, 'runs'))]) {
				assert.ok(!where.includes(secret));
			}
		}
	});
});

describe('openvpn-p2p static-key mode', {skip}, () => {
	const base = mkdtempSync(join(tmpdir(), 'waymark-static-'));
	const env = {WAYMARK_HOME: join(base, 'home')};
	let network: LabNetwork;

	before(async () => {
		network = await createLabNetwork(2, {prefix: 'stk'});
	});

	after(async () => {
		await network?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('the guide\'s static key (OpenVPN\'s exact format) brings a tunnel up, with the deprecation shown', async () => {
		const answers = join(base, 'answers.yaml');
		writeFileSync(answers, 'serverPublicAddress: 10.99.0.1\nmode: static-key\nproto: udp\n');
		const run = await waymark(['run', 'openvpn-p2p', '--target', `server=ssh:${network.hosts[0]!.alias}`, '--target', `client=ssh:${network.hosts[1]!.alias}`, '--ssh-config', network.sshConfig, '--answers', answers, '--yes', '--json'], env);
		assert.equal(run.exitCode, 0, String(run.stderr) + String(run.stdout).slice(-2000));
		assert.match(String(run.stdout), /Static-key mode .* is deprecated/);
		const [server, client] = network.hosts;
		const key = await server!.exec('head -n 4 /etc/openvpn/server/mistio/static.key; grep -c "^[0-9a-f]\\{32\\}$" /etc/openvpn/server/mistio/static.key');
		assert.match(key.stdout, /^#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n16\n$/);
		const log = await waitForLog(server!, '/var/log/openvpn/server-mistio.log', /Initialization Sequence Completed/);
		assert.match(log, /Initialization Sequence Completed/);
		assert.match(log, /OpenVPN 2\.7 will remove the functionality to run a VPN without TLS/);
		await waitForLog(client!, '/var/log/openvpn/client-mistio.log', /Initialization Sequence Completed/);
		const ping = await client!.exec('ping -c 1 -W 3 10.0.0.10');
		assert.equal(ping.exitCode, 0, ping.stdout);
	});
});

describe('cloudpipe end to end', {skip}, () => {
	const base = mkdtempSync(join(tmpdir(), 'waymark-cloudpipe-'));
	const env = {WAYMARK_HOME: join(base, 'home')};
	const answers = join(base, 'answers.yaml');
	const common = 'publicIp: 10.99.0.1\nvpnIp: 10.99.0.2\nclients: [alice, bob]\n';
	let network: LabNetwork;
	let terminal: Terminal | undefined;
	let args: string[] = [];

	before(async () => {
		network = await createLabNetwork(3, {prefix: 'cp'});
		writeFileSync(answers, common);
		args = ['--target', `network-host=ssh:${network.hosts[0]!.alias}`, '--target', `vpn=ssh:${network.hosts[1]!.alias}`, '--ssh-config', network.sshConfig, '--answers', answers];
	});

	after(async () => {
		await terminal?.close();
		await network?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	/** Starts a user's openvpn on the third lab host with the profile from the vault; true when it completed. */
	async function connect(user: string): Promise<boolean> {
		const user3 = network.hosts[2]!;
		writeFileSync(join(user3.rootDir, `tmp/${user}.ovpn`), readFileSync(join(env.WAYMARK_HOME, 'vault/cloudpipe/project1/clients', `${user}.ovpn`)));
		await user3.exec(`rm -f /tmp/${user}.log; openvpn --daemon --config /tmp/${user}.ovpn --log /tmp/${user}.log --writepid /tmp/${user}.pid`);
		const log = await waitForLog(user3, `/tmp/${user}.log`, /Initialization Sequence Completed|TLS Error|AUTH_FAILED/, 30);
		const up = /Initialization Sequence Completed/.test(log) && (await user3.exec('ping -c 1 -W 3 10.8.0.1')).exitCode === 0;
		await user3.exec(`kill "$(cat /tmp/${user}.pid)"`);
		await sleep(500);
		return up;
	}

	test('--dry-run shows the user data (masked), the scripts and the rules, and changes nothing', async () => {
		const dry = String((await waymark(['run', 'cloudpipe', ...args, '--yes', '--dry-run', '--plain'], env)).stdout);
		assert.match(dry, /new secret file \/var\/lib\/waymark\/cloudpipe\/user-data\.b64/);
		assert.match(dry, /\/usr\/local\/sbin\/cloudpipe-fetch/);
		assert.match(dry, /-j DNAT --to-destination 10\.99\.0\.2:1194/);
		assert.match(dry, /-A INPUT -p icmp -j ACCEPT/);
		assert.doesNotMatch(dry, /BEGIN PRIVATE KEY/);
		assert.deepEqual(await network.hosts[1]!.changedFiles(), []);
	});

	test('killed with SIGKILL mid-run, it resumes; a user connects through the port forward', async () => {
		// A tall screen, so the step title is still on it when the poll looks (this run is quick).
		terminal = startTerminal({command: cliCommand('run', 'cloudpipe', ...args, '--yes', '--plain'), cwd: repoRoot, env: {...env, CI: undefined}, columns: 160, rows: 300});
		await terminal.waitFor('Install OpenVPN', {timeoutMs: 120_000});
		await terminal.kill('SIGKILL');
		assert.equal((await terminal.waitForExit({timeoutMs: 10_000})).signal, 'SIGKILL');
		const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{status: string}>;
		assert.equal(runs[0]?.status, 'running', 'the run was cut off, not finished');
		const resumed = await waymark(['resume', '--yes', '--json'], env);
		assert.equal(resumed.exitCode, 0, String(resumed.stderr) + String(resumed.stdout).slice(-2000));
		// As in nova, the network host is the VPN instance's way back to users; it must not tell it a shortcut.
		await network.hosts[1]!.exec('ip route add 10.99.0.3/32 via 10.99.0.1');
		await network.hosts[0]!.exec('sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0');
		assert.equal(await connect('alice'), true);
		const certs = await network.hosts[1]!.exec('cd /etc/openvpn/server/cloudpipe && openssl verify -CAfile ca.crt server.crt && openssl x509 -noout -ext keyUsage,extendedKeyUsage -in server.crt');
		assert.match(certs.stdout, /server\.crt: OK/);
		assert.match(certs.stdout, /TLS Web Server Authentication/);
	});

	test('a second run reports changed: 0; a revoked user is refused and a valid one still connects', async () => {
		const again = await waymark(['run', 'cloudpipe', ...args, '--yes', '--json'], env);
		assert.equal(endOf(String(again.stdout)).counts.changed, 0, String(again.stdout).slice(-3000));
		const serverKey = (await network.hosts[1]!.exec('sed -n 2p /etc/openvpn/server/cloudpipe/server.key')).stdout.trim();
		assert.ok(serverKey.length > 16);
		for (const where of [String(again.stdout), readAll(join(env.WAYMARK_HOME, 'transcripts')), readAll(join(env.WAYMARK_HOME, 'runs'))]) {
			assert.ok(!where.includes(serverKey));
		}

		writeFileSync(answers, `${common}revoke: [bob]\n`);
		const revoked = await waymark(['run', 'cloudpipe', ...args, '--yes', '--json'], env);
		assert.equal(revoked.exitCode, 0, String(revoked.stdout).slice(-2000));
		const crl = await network.hosts[1]!.exec('openssl crl -noout -text -in /etc/openvpn/server/cloudpipe/crl.pem');
		assert.match(crl.stdout, /Serial Number:/);
		assert.equal(await connect('bob'), false);
		assert.match(await waitForLog(network.hosts[1]!, '/var/log/openvpn/server-cloudpipe.log', /certificate revoked/), /certificate revoked/);
		assert.equal(await connect('alice'), true);
	});
});
