// The nova cloudpipe guide on fresh Debian 12 and 13 hosts: a network host that forwards the project's public port
// to a VPN instance running the payload. With only the required answers (and two users to issue profiles for): done,
// nothing changed on a second run, check passes, SIGKILL during apt then resume gives the twin's /etc, no secret
// kept; and a user on the public side connects with the .ovpn profile Waymark issued, through the port forward, and
// pings across; after `revoke` that user is refused while the other still connects.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse, stringify} from 'yaml';
import {createLabHost, createLabNetwork, type LabHost, type LabNetwork} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {jsonEvents, waymark} from './cli.js';
import {guideEndToEnd, type GuideRun, type Hosts} from './guide-matrix.js';
import {keptSecrets, pingsAcross, pollUntil} from './openvpn-lab.js';

// The public side: a link of its own between the network host and the user, as the internet would be.
const wan = {network: '192.0.2.0/24', networkHost: '192.0.2.1', user: '192.0.2.10'} as const;
const vpnServerTunnel = '10.8.0.1';

/** User hosts made by `works`, destroyed after the file's tests whatever happened. */
const users: LabHost[] = [];
after(async () => {
	await Promise.all(users.map(async user => user.destroy()));
});

async function must(host: LabHost, run: Promise<{exitCode: number; stdout: string; stderr: string}>, what: string): Promise<string> {
	const result = await run;
	assert.equal(result.exitCode, 0, `${what} on ${host.alias}: ${result.stdout}${result.stderr}`);
	return result.stdout;
}

/**
 * A user's machine on the public side of the network host: a fresh lab host linked to the network host by a veth
 * pair of its own, with openvpn from the local repository (the user's machine, not a guide host). The VPN
 * instance reaches the public side through the network host, its project network's gateway in nova.
 */
async function userOnPublicSide(hosts: Hosts): Promise<LabHost> {
	const networkHost = hosts['network-host']![0]!;
	const vpn = hosts['vpn']![0]!;
	const user = await createLabHost({name: 'cpuser', image: vpn.image});
	users.push(user);
	await must(
		networkHost,
		networkHost.machineExec(['ip', 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(user.pid)]),
		'veth to the user',
	);
	await must(networkHost, networkHost.machineExec(['ip', 'addr', 'add', `${wan.networkHost}/24`, 'dev', 'wan0']), 'public address');
	await must(networkHost, networkHost.machineExec(['ip', 'link', 'set', 'wan0', 'up']), 'public link up');
	await must(user, user.machineExec(['ip', 'addr', 'add', `${wan.user}/24`, 'dev', 'eth0']), 'user address');
	await must(user, user.machineExec(['ip', 'link', 'set', 'eth0', 'up']), 'user link up');
	await must(user, user.machineExec(['ip', 'route', 'add', 'default', 'via', wan.networkHost]), 'user route');
	await must(vpn, vpn.machineExec(['ip', 'route', 'replace', wan.network, 'via', hosts['network-host']![0]!.address!]), 'route back to the public side');
	await must(
		user,
		user.exec('export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q openvpn', {timeoutMs: 300_000}),
		'apt-get install openvpn',
	);
	return user;
}

type Outcome = {readonly connected: true; readonly ping: string} | {readonly connected: false; readonly log: string};

/** Starts openvpn on the user host with NAME's profile from the vault; connected (and pinged across) or refused. Bounded. */
async function connect(user: LabHost, home: string, name: string): Promise<Outcome> {
	const profile = readFileSync(join(home, 'vault/cloudpipe/project1/clients', `${name}.ovpn`), 'utf8');
	await must(user, user.exec(`umask 077; cat > /root/${name}.ovpn`, {input: profile}), 'profile');
	// A short hand window: a refused handshake shows in the log after 10 s instead of OpenVPN's 60.
	await must(
		user,
		user.exec(
			`rm -f /root/${name}.log; openvpn --daemon cp-${name} --config /root/${name}.ovpn --hand-window 10 --log /root/${name}.log --writepid /run/cp-${name}.pid`,
		),
		'openvpn',
	);
	try {
		const log = await pollUntil(
			async () => {
				const text = (await user.exec(`cat /root/${name}.log 2>/dev/null`)).stdout;
				return /Initialization Sequence Completed|TLS key negotiation failed|TLS handshake failed|AUTH_FAILED/.test(text) ? text : undefined;
			},
			60,
			500,
		);
		assert.ok(log !== undefined, `openvpn for ${name} neither connected nor gave up: ${(await user.exec(`cat /root/${name}.log`)).stdout}`);
		if (!/Initialization Sequence Completed/.test(log)) {
			return {connected: false, log};
		}

		return {connected: true, ping: await pingsAcross(user, vpnServerTunnel)};
	} finally {
		await user.exec(
			`kill "$(cat /run/cp-${name}.pid)" 2>/dev/null; i=0; while kill -0 "$(cat /run/cp-${name}.pid)" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; rm -f /run/cp-${name}.pid`,
		);
	}
}

function answersFile(args: readonly string[]): string {
	const file = args[args.indexOf('--answers') + 1];
	assert.ok(file, 'the run has an answers file');
	return file;
}

async function usersConnect(hosts: Hosts, run: GuideRun): Promise<void> {
	const vpn = hosts['vpn']![0]!;
	const certs = await vpn.exec(
		'cd /etc/openvpn/server/cloudpipe && openssl verify -CAfile ca.crt server.crt && openssl x509 -noout -ext keyUsage,extendedKeyUsage -in server.crt',
	);
	assert.match(certs.stdout, /server\.crt: OK/, certs.stderr);
	assert.match(certs.stdout, /TLS Web Server Authentication/);
	const user = await userOnPublicSide(hosts);
	const alice = await connect(user, run.home, 'alice');
	assert.ok(alice.connected, `alice could not connect: ${alice.connected ? '' : alice.log}`);

	// Revoke bob: the CRL is signed again and the VPN gets it with the payload.
	const revoked = join(run.home, 'revoke.yaml');
	writeFileSync(revoked, stringify({...(parse(readFileSync(answersFile(run.args), 'utf8')) as Record<string, unknown>), revoke: ['bob']}));
	const args = run.args.map(arg => (arg === answersFile(run.args) ? revoked : arg));
	const result = await run.waymark(['run', 'cloudpipe', ...args, '--yes', '--json']);
	const end = jsonEvents(String(result.stdout)).at(-1);
	assert.equal(end?.['status'], 'done', String(result.stdout).slice(-3000));
	const crl = await vpn.exec('openssl crl -noout -text -in /etc/openvpn/server/cloudpipe/crl.pem');
	assert.match(crl.stdout, /Serial Number:/);
	const bob = await connect(user, run.home, 'bob');
	assert.equal(bob.connected, false, 'bob connected with a revoked certificate');
	const why = await pollUntil(
		async () => {
			const journal = (await vpn.exec('journalctl -q --no-pager -u openvpn-server@cloudpipe.service')).stdout;
			return /certificate revoked/.test(journal) ? journal : undefined;
		},
		20,
		500,
	);
	assert.ok(why !== undefined, 'the VPN logged why bob was refused');
	const again = await connect(user, run.home, 'alice');
	assert.ok(again.connected, `alice could not connect after bob's revocation: ${again.connected ? '' : again.log}`);

	// Neither the runs nor a check printed a piece of a key.
	const check = await run.waymark(['check', 'cloudpipe', ...args, '--json']);
	const printed = [result.stdout, result.stderr, check.stdout, check.stderr].map(String).join('\n');
	for (const piece of keptSecrets(run.home)) {
		assert.ok(!printed.includes(piece), 'a key reached the output of run or check');
	}
}

await guideEndToEnd({
	wizard: 'cloudpipe',
	roles: [
		{role: 'network-host', count: 1},
		{role: 'vpn', count: 1},
	],
	answers: hosts => ({publicIp: wan.networkHost, vpnIp: hosts['vpn']![0]!.address, clients: ['alice', 'bob']}),
	// apt is unpacking on a host: the dpkg lock is held.
	killAt: /Unpacking /,
	// The project CA, the server's key and certificate and the CRL are made per deployment.
	perDeployment: [/^\/etc\/openvpn\/server\/cloudpipe\//],
	works: usersConnect,
});

const skip = await labSkipReason();

describe('cloudpipe --dry-run on fresh hosts', {skip}, () => {
	const base = mkdtempSync(join(tmpdir(), 'waymark-cloudpipe-dry-'));
	const env = {WAYMARK_HOME: join(base, 'home')};
	let network: LabNetwork | undefined;
	let args: string[] = [];

	before(async () => {
		network = await createLabNetwork(2, {prefix: 'cpdry'});
		const answers = join(base, 'answers.yaml');
		writeFileSync(answers, stringify({publicIp: wan.networkHost, vpnIp: '10.99.0.2', clients: ['alice']}));
		args = [
			'--target',
			`network-host=ssh:${network.hosts[0]!.alias}`,
			'--target',
			`vpn=ssh:${network.hosts[1]!.alias}`,
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

	test('shows the user data (masked), the scripts and the rules, and changes nothing', async () => {
		const dry = await waymark(['run', 'cloudpipe', ...args, '--yes', '--dry-run', '--plain'], env);
		assert.equal(dry.exitCode, 0, String(dry.stderr) + String(dry.stdout).slice(-3000));
		const out = String(dry.stdout);
		assert.match(out, /new secret file \/var\/lib\/waymark\/cloudpipe\/user-data\.b64 \(\d+ bytes, mode 600; content not shown\)/);
		assert.match(out, /\/usr\/local\/sbin\/cloudpipe-fetch/);
		assert.match(out, /-j DNAT --to-destination 10\.99\.0\.2:1194/);
		assert.match(out, /-A INPUT -p icmp -j ACCEPT/);
		assert.match(out, /apt-get .*install .*openvpn/);
		assert.doesNotMatch(out, /BEGIN PRIVATE KEY|BEGIN OpenVPN Static key/);
		for (const host of network!.hosts) {
			assert.deepEqual(await host.changedFiles(), [], `the dry run changed files on ${host.alias}`);
		}
	});
});
