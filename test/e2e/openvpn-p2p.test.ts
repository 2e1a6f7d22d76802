// The mist.io OpenVPN link on fresh Debian 12 and 13 hosts, in both modes (TLS with pinned fingerprints, the
// default; and the guide's static key), with only the required answer: done, nothing changed on a second run,
// check passes, SIGKILL during apt then resume gives the twin's /etc, no secret kept; and a ping crosses the tunnel.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLabNetwork, type LabNetwork} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {waymark} from './cli.js';
import {guideEndToEnd, type GuideRun, type Hosts} from './guide-matrix.js';
import {keptSecrets, pingsAcross} from './openvpn-lab.js';

const serverTunnel = '10.0.0.10';
const clientTunnel = '10.0.0.5';

/** What every mode's tunnel shows once up: a ping each way, the server's policy routing, the client's NAT. */
async function tunnelWorks(hosts: Hosts, run: GuideRun, mode: 'tls' | 'static'): Promise<void> {
	const server = hosts['server']![0]!;
	const client = hosts['client']![0]!;
	await pingsAcross(server, clientTunnel);
	await pingsAcross(client, serverTunnel);
	const routing = await server.exec('ip rule show; ip route show table 1');
	assert.match(routing.stdout, new RegExp(`from ${serverTunnel.replaceAll('.', '\\.')} lookup mistio`));
	assert.match(routing.stdout, new RegExp(`default via ${clientTunnel.replaceAll('.', '\\.')} dev tun0`));
	const nat = await client.exec('iptables -t nat -S POSTROUTING; cat /proc/sys/net/ipv4/ip_forward');
	assert.match(nat.stdout, /-A POSTROUTING -o eth0 -j MASQUERADE\n1\n/);
	const dir = '/etc/openvpn/server/mistio';
	if (mode === 'static') {
		// OpenVPN's exact static key format (PITFALLS §6), and the deprecation the wizard warned about.
		const key = await server.readFile(`${dir}/static.key`);
		assert.match(
			key,
			/^#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n([0-9a-f]{32}\n){16}-----END OpenVPN Static key V1-----\n$/,
		);
		assert.equal((await server.stat(`${dir}/static.key`)).mode & 0o777, 0o600);
	} else {
		for (const file of [`${dir}/server.key`, `${dir}/tls-crypt.key`]) {
			assert.equal((await server.stat(file)).mode & 0o777, 0o600, file);
		}

		// The peers are pinned to each other's certificate: the config names the client's fingerprint.
		assert.match(await server.readFile('/etc/openvpn/server/mistio.conf'), /^peer-fingerprint [0-9A-Fa-f:]{95}$/m);
	}

	// A run and a check on the working tunnel print no piece of a key.
	const again = await run.waymark(['run', 'openvpn-p2p', ...run.args, '--yes', '--json']);
	const check = await run.waymark(['check', 'openvpn-p2p', ...run.args, '--json']);
	const printed = [again.stdout, again.stderr, check.stdout, check.stderr].map(String).join('\n');
	const pieces = keptSecrets(run.home);
	assert.ok(pieces.length > 0, "the vault holds the link's keys");
	for (const piece of pieces) {
		assert.ok(!printed.includes(piece), 'a key reached the output of run or check');
	}
}

for (const mode of ['tls', 'static'] as const) {
	await guideEndToEnd({
		wizard: 'openvpn-p2p',
		variant: mode,
		roles: [
			{role: 'server', count: 1},
			{role: 'client', count: 1},
		],
		// The server's lab address is its public address; the static key is the guide's mode, TLS the default.
		answers: hosts => ({serverPublicAddress: hosts['server']![0]!.address, ...(mode === 'static' ? {mode: 'static-key'} : {})}),
		// apt is unpacking openvpn on the server: the dpkg lock is held.
		killAt: /Unpacking /,
		// Keys and certificates are made per deployment; the TLS configs pin the other side's certificate.
		perDeployment: [/^\/etc\/openvpn\/(server|client)\/mistio\//, ...(mode === 'tls' ? [/^\/etc\/openvpn\/(server|client)\/mistio\.conf$/] : [])],
		works: async (hosts, run) => tunnelWorks(hosts, run, mode),
	});
}

const skip = await labSkipReason();
const password = 'correct horse battery';

describe('openvpn-p2p --dry-run on fresh hosts', {skip}, () => {
	const base = mkdtempSync(join(tmpdir(), 'waymark-p2p-dry-'));
	const env = {WAYMARK_HOME: join(base, 'home')};
	let network: LabNetwork | undefined;
	let args: string[] = [];

	before(async () => {
		network = await createLabNetwork(2, {prefix: 'p2pdry'});
		const answers = join(base, 'answers.yaml');
		writeFileSync(answers, ['serverPublicAddress: 10.99.0.1', 'nginx: true', `authPassword: "${password}"`, ''].join('\n'));
		args = [
			'--target',
			`server=ssh:${network.hosts[0]!.alias}`,
			'--target',
			`client=ssh:${network.hosts[1]!.alias}`,
			'--ssh-config',
			network.sshConfig,
			'--answers',
			answers,
		];
	});

	after(async () => {
		await network?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('shows every file (keys masked) and every command, and changes nothing', async () => {
		const dry = await waymark(['run', 'openvpn-p2p', ...args, '--yes', '--dry-run', '--plain'], env);
		assert.equal(dry.exitCode, 0, String(dry.stderr) + String(dry.stdout).slice(-3000));
		const out = String(dry.stdout);
		const files = [
			'/etc/openvpn/server/mistio/server.key',
			'/etc/openvpn/server/mistio.conf',
			'/etc/openvpn/server/mistio/up.sh',
			'/etc/iproute2/rt_tables.d/waymark.conf',
		];
		for (const path of [
			...files,
			'/etc/nginx/.htpasswd',
			'/etc/openvpn/client/mistio/client.key',
			'/etc/openvpn/client/mistio.conf',
			'/etc/sysctl.d/90-waymark-openvpn-p2p.conf',
		]) {
			assert.ok(out.includes(path), `dry run names ${path}`);
		}

		assert.match(out, /new secret file \/etc\/openvpn\/server\/mistio\/server\.key \(\d+ bytes, mode 600; content not shown\)/);
		assert.match(out, /apt-get .*install .*openvpn/);
		assert.match(out, /systemctl enable openvpn-server@mistio\.service/);
		// iptables is not on the fresh client yet (the install step would bring it): the NAT rule is planned all the same.
		assert.match(out, /iptables -w -t nat -C POSTROUTING -o eth0 -j MASQUERADE/);
		assert.doesNotMatch(out, /BEGIN PRIVATE KEY|BEGIN OpenVPN Static key/);
		assert.ok(!out.includes(password));
		for (const host of network!.hosts) {
			assert.deepEqual(await host.changedFiles(), [], `the dry run changed files on ${host.alias}`);
		}
	});
});
