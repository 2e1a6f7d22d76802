// vpn-multinode on fresh Debian 12 and 13 hosts: a controller and two nodes, only the required answers (the WireGuard
// mesh is the default). The shared matrix proves done, changed 0, check, kill and resume; `works` proves the mesh
// carries pings from every host to every peer's mesh address, and that the mesh port takes packets from the mesh
// hosts only. Beside it, on fresh hosts of their own: a bad topology is refused before anything runs, and
// `mesh: peervpn` names the missing binary and offers WireGuard. This kernel has no WireGuard module, so the
// wizard's own packages bring wireguard-go. Every address is inside the lab: hostnames live in the labs' /etc/hosts.
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, before, describe, test} from 'node:test';
import {stringify} from 'yaml';
import {createLabNetwork, type LabHost, type LabNetwork, type Suite} from '../lab/lab-host.js';
import {labSkipReason, terminalSkipReason} from '../lab/packages.js';
import type {NotDone} from '../../source/engine/events.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {guideEndToEnd, type GuideRun, type Hosts} from './guide-matrix.js';
import {readAll} from './read-all.js';
import {startTerminal} from './terminal.js';

const hostnames = ['vpn.lab.test', 'europe.lab.test', 'asia.lab.test'];
const meshIps = ['10.42.42.1', '10.42.42.2', '10.42.42.3'];
const port = '7000';
// Not a mesh host: an extra address on the controller's lab interface sends from it to show what the nodes drop.
const outsider = '10.99.0.250';

function allHosts(hosts: Hosts): LabHost[] {
	return [...hosts['controller']!, ...hosts['node']!];
}

function meshAnswers(hosts: readonly LabHost[]): Record<string, unknown> {
	const addresses = hosts.map(host => host.address!);
	return {
		controllerHostname: hostnames[0],
		controllerPublicIp: addresses[0],
		nodeNames: ['europe', 'asia'],
		nodeHostnames: hostnames.slice(1),
		nodePublicIps: addresses.slice(1),
		nodeMeshIps: meshIps.slice(1),
		ranges: ['10.0.0.0/24', '10.20.30.0/24'],
	};
}

/** The lab's own /etc/hosts answers the wizard's DNS checks: no resolver outside the machine is asked. */
async function addHostnames(hosts: readonly LabHost[]): Promise<void> {
	const lines = hostnames.map((name, index) => `${hosts[index]!.address!} ${name}`).join('\n');
	for (const host of hosts) {
		const added = await host.exec('cat >> /etc/hosts', {input: `${lines}\n`});
		assert.equal(added.exitCode, 0, added.stderr);
	}
}

/**
 * Packet counts of the mesh chain, by rule (`ACCEPT 10.99.0.2`, `DROP`), from the host's own iptables. `-v -S` prints
 * `-c PACKETS BYTES` in every rule on iptables 1.8.9 and 1.8.11 alike; the columns of `-L` differ between them.
 */
async function meshCounters(host: LabHost): Promise<Map<string, number>> {
	const listed = await host.exec('iptables -w -v -S WAYMARK-MESH');
	assert.equal(listed.exitCode, 0, listed.stderr);
	const counts = new Map<string, number>();
	for (const rule of listed.stdout.split('\n').filter(line => line.startsWith('-A '))) {
		const packets = / -c (\d+) \d+/.exec(rule)?.[1];
		const target = / -j (\S+)/.exec(rule)?.[1];
		const source = / -s (\S+?)(\/32)? /.exec(rule)?.[1];
		assert.ok(packets !== undefined && target !== undefined, `a counted rule: ${rule}`);
		counts.set(target === 'DROP' ? 'DROP' : `${target} ${source ?? ''}`, Number(packets));
	}

	return counts;
}

/** Polls (bounded) until the mesh chain of `host` has counted more packets for `rule` than `before` says. */
async function counted(host: LabHost, rule: string, before: ReadonlyMap<string, number>): Promise<Map<string, number>> {
	let now = new Map<string, number>();
	for (let i = 0, deadline = Date.now() + 5000; i < 50 && Date.now() < deadline; i++) {
		now = await meshCounters(host);
		if ((now.get(rule) ?? 0) > (before.get(rule) ?? 0)) break;
		await sleep(100);
	}

	return now;
}

/** One UDP datagram to the mesh port of `to`, sent from `from` in the network namespace of `via` (machine socat). */
async function sendDatagram(via: LabHost, from: string, to: string): Promise<void> {
	const sent = await via.machineExec(['socat', '-u', 'STDIN', `UDP4-SENDTO:${to}:${port},bind=${from}`], {input: 'not a handshake\n', timeoutMs: 10_000});
	assert.equal(sent.exitCode, 0, sent.stderr);
}

async function works(hosts: Hosts, run: GuideRun): Promise<void> {
	const all = allHosts(hosts);
	for (const [index, host] of all.entries()) {
		// wg-quick fell back to wireguard-go (no kernel module here), under the systemd unit, on the mesh address.
		const state = await host.exec(
			[
				'stat -c %a /etc/wireguard/wg-mesh.conf',
				'systemctl is-active wg-quick@wg-mesh',
				'systemctl is-enabled wg-quick@wg-mesh',
				'wg show wg-mesh listen-port',
				'grep -lx wireguard-go /proc/[0-9]*/comm >/dev/null && echo wireguard-go',
			].join('; '),
		);
		assert.equal(state.stdout, `600\nactive\nenabled\n${port}\nwireguard-go\n`, `${host.alias}: ${state.stderr}`);
		assert.match((await host.exec('ip -o -4 addr show dev wg-mesh')).stdout, new RegExp(` inet ${meshIps[index]!.replaceAll('.', '\\.')}/24 `));
		for (const [other, address] of meshIps.entries()) {
			if (other === index) continue;
			// The machine's ping in the lab's namespace, so the proof does not lean on what the wizard installed.
			const route = await host.machineExec(['ip', '-o', 'route', 'get', address]);
			assert.match(route.stdout, / dev wg-mesh /, `${host.alias} routes ${address} through the mesh`);
			const ping = await host.machineExec(['ping', '-n', '-q', '-c', '3', '-i', '0.2', '-W', '2', address], {timeoutMs: 20_000});
			assert.equal(ping.exitCode, 0, `${host.alias} → ${address}: ${ping.stdout}${ping.stderr}`);
		}

		// A handshake with every peer: their public addresses reached each other on the mesh port, both ways.
		const handshakes = (await host.exec('wg show wg-mesh latest-handshakes')).stdout
			.trim()
			.split('\n')
			.map(line => Number(line.split('\t')[1]));
		assert.equal(handshakes.length, all.length - 1, host.alias);
		assert.ok(
			handshakes.every(time => time > 0),
			`${host.alias} shook hands with every peer`,
		);

		const rules = await host.exec('iptables -w -S WAYMARK-MESH; iptables -w -S INPUT | grep WAYMARK');
		const peers = all.filter((_, other) => other !== index).map(peer => `-A WAYMARK-MESH -s ${peer.address!}/32 -p udp -m udp --dport ${port} -j ACCEPT`);
		const drop = `-A WAYMARK-MESH -p udp -m udp --dport ${port} -j DROP`;
		assert.equal(rules.stdout, ['-N WAYMARK-MESH', ...peers, drop, `-A INPUT -p udp -m udp --dport ${port} -j WAYMARK-MESH`, ''].join('\n'));
		assert.match(await host.readFile('/etc/iptables/rules.v4'), new RegExp(`^-A WAYMARK-MESH -p udp -m udp --dport ${port} -j DROP$`, 'm'));
	}

	// The port is open between the mesh hosts only: a datagram from a peer's address is accepted by its rule, one
	// from another address on the same network falls to the DROP.
	const controller = all[0]!;
	const added = await controller.machineExec(['ip', 'address', 'add', `${outsider}/24`, 'dev', 'eth0']);
	assert.equal(added.exitCode, 0, added.stderr);
	try {
		for (const node of all.slice(1)) {
			const start = await meshCounters(node);
			await sendDatagram(controller, outsider, node.address!);
			const dropped = await counted(node, 'DROP', start);
			assert.ok(dropped.get('DROP')! > start.get('DROP')!, `${node.alias} dropped the datagram from ${outsider}`);
			await sendDatagram(controller, controller.address!, node.address!);
			const fromController = `ACCEPT ${controller.address!}`;
			const accepted = await counted(node, fromController, dropped);
			assert.ok(accepted.get(fromController)! > dropped.get(fromController)!, `${node.alias} accepted the datagram from the controller`);
			assert.equal(accepted.get('DROP'), dropped.get('DROP'), `${node.alias} dropped nothing from the controller`);
		}
	} finally {
		await controller.machineExec(['ip', 'address', 'del', `${outsider}/24`, 'dev', 'eth0']);
	}

	// The controller's profiles: eduVPN is not in Debian, so they wait in Waymark's own file, managed across the mesh.
	assert.match(await controller.readFile('/etc/waymark/vpn-multinode/vpn-profiles.yaml'), /managementIp: 10\.42\.42\.2\n[\s\S]*managementIp: 10\.42\.42\.3\n/);
	// A run on the finished hosts changes nothing, and names what waits for eduVPN's own packages, with what to do.
	const again = await run.waymark(['run', 'vpn-multinode', ...run.args, '--yes', '--json']);
	const end = jsonEvents(String(again.stdout)).at(-1) as {type: string; status: string; counts: Record<string, number>; notDone: NotDone[]};
	assert.deepEqual([end.type, end.status, end.counts['changed'], end.counts['failed']], ['run-end', 'done', 0, 0], String(again.stdout).slice(-3000));
	const waiting = end.notDone.map(step => `${step.stepId}@${step.target} ${step.status}`).sort();
	const expected = [`eduvpn-profiles@ssh:${controller.alias} deferred`, ...all.slice(1).map(node => `eduvpn-server-config@ssh:${node.alias} deferred`)];
	assert.deepEqual(waiting, expected.sort());
	for (const step of end.notDone) {
		assert.match(step.message, /not in Debian's archive/);
		assert.match(step.remedy ?? '', /Install eduVPN's vpn-server-(api|node) from eduVPN's own repository/);
	}

	// No psk and no private key on the screen of a run in a real terminal, in its output or in what Waymark keeps.
	const privateKeys = await Promise.all(all.map(async host => /^PrivateKey = (\S+)$/m.exec(await host.readFile('/etc/wireguard/wg-mesh.conf'))?.[1] ?? ''));
	assert.ok(
		privateKeys.every(key => key.length === 44),
		'every host has its private key',
	);
	const psks = readdirSync(join(run.home, 'secrets'), {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile() && entry.name === 'vpn-multinode-psk')
		.map(entry => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
	assert.ok(psks.length > 0 && psks.every(psk => /^[A-Za-z\d]{32}$/.test(psk)), 'the run made a psk');
	const seen = [readAll(join(run.home, 'transcripts')), readAll(join(run.home, 'runs'))];
	const checked = await run.waymark(['check', 'vpn-multinode', ...run.args, '--json']);
	seen.push(String(checked.stdout), String(checked.stderr));
	if ((await terminalSkipReason()) === undefined) {
		const command = cliCommand('run', 'vpn-multinode', ...run.args, '--yes', '--plain');
		const terminal = startTerminal({command, cwd: repoRoot, env: {WAYMARK_HOME: run.home, CI: undefined}, columns: 160, rows: 50});
		try {
			const exit = await terminal.waitForExit({timeoutMs: 300_000});
			seen.push(await terminal.screen());
			assert.equal(exit.exitCode, 0, seen.at(-1));
		} finally {
			await terminal.close();
		}
	}

	for (const secret of [...privateKeys, ...psks]) {
		assert.ok(!seen.join('\n').includes(secret), 'a secret reached the screen, the output or what Waymark keeps');
	}

	// The wg-quick@ unit is a oneshot: it stays active when its interface goes (deleted, wireguard-go killed). Check
	// and run agree that the mesh is down there, and a run brings it back; the other hosts are left alone.
	const europe = all[1]!;
	const deleted = await europe.exec('ip link del dev wg-mesh && systemctl is-active wg-quick@wg-mesh');
	assert.equal(deleted.stdout, 'active\n', deleted.stderr);
	const drifted = await run.waymark(['check', 'vpn-multinode', ...run.args, '--json']);
	assert.equal(drifted.exitCode, 1, String(drifted.stdout).slice(-3000));
	const findings = jsonEvents(String(drifted.stdout)) as Array<{target: string; id: string; status: string}>;
	const failing = new Set(findings.filter(finding => finding.status === 'fail').map(finding => `${finding.target} ${finding.id}`));
	for (const id of ['wireguard-up-node:state', 'wireguard-address', 'wireguard-listening']) {
		assert.ok(failing.has(`ssh:${europe.alias} ${id}`), `check fails ${id} on ${europe.alias}: ${[...failing].join(', ')}`);
	}

	const repaired = await run.waymark(['run', 'vpn-multinode', ...run.args, '--yes', '--json']);
	const events = jsonEvents(String(repaired.stdout));
	assert.equal((events.at(-1) as {status?: string}).status, 'done', String(repaired.stdout).slice(-3000));
	const changed = events
		.filter(event => event.type === 'step-end' && event['status'] === 'changed')
		.map(event => `${String(event['stepId'])}@${String(event['target'])}`);
	assert.deepEqual(changed, [`wireguard-up-node@ssh:${europe.alias}`]);
	for (const address of [meshIps[0]!, meshIps[2]!]) {
		const ping = await europe.machineExec(['ping', '-n', '-q', '-c', '3', '-i', '0.2', '-W', '2', address], {timeoutMs: 20_000});
		assert.equal(ping.exitCode, 0, `${europe.alias} → ${address} after the repair: ${ping.stdout}`);
	}

	const healed = await run.waymark(['check', 'vpn-multinode', ...run.args, '--json']);
	assert.equal(healed.exitCode, 0, String(healed.stdout).slice(-3000));
}

await guideEndToEnd({
	wizard: 'vpn-multinode',
	roles: [
		{role: 'controller', count: 1},
		{role: 'node', count: 2},
	],
	answers: hosts => meshAnswers(allHosts(hosts)),
	// The mesh is being brought up on the hosts: a run cut off here leaves interfaces half made.
	killAt: /Bring the WireGuard mesh up/,
	perDeployment: [/^\/etc\/wireguard\//],
	async prepare(hosts) {
		await addHostnames(allHosts(hosts));
	},
	works,
});

// What is refused, on fresh hosts of their own so nothing of a deployment hides what the refusal did.
const skip = await labSkipReason();
for (const image of ['bookworm', 'trixie'] as const satisfies readonly Suite[]) {
	describe(`vpn-multinode refusals on fresh Debian ${image === 'bookworm' ? 12 : 13}`, {skip}, () => {
		const base = mkdtempSync(join(tmpdir(), 'waymark-mesh-refusals-'));
		const env = {WAYMARK_HOME: join(base, 'home')};
		let lab: LabNetwork | undefined;
		let targets: string[] = [];
		let answers: Record<string, unknown> = {};

		before(async () => {
			lab = await createLabNetwork(3, {prefix: 'meshno', image});
			await addHostnames(lab.hosts);
			answers = meshAnswers(lab.hosts);
			const nodes = lab.hosts.slice(1).flatMap(host => ['--target', `node=ssh:${host.alias}`]);
			targets = ['--target', `controller=ssh:${lab.hosts[0]!.alias}`, ...nodes, '--ssh-config', lab.sshConfig];
		});

		after(async () => {
			await lab?.destroy();
			rmSync(base, {recursive: true, force: true});
		});

		function answersFile(name: string, extra: Record<string, unknown>): string {
			const path = join(base, `${name}.yaml`);
			writeFileSync(path, stringify({...answers, ...extra}));
			return path;
		}

		test('a bad topology is refused naming the field, and nothing runs on any host', async () => {
			const bad = answersFile('bad', {managementIps: ['10.10.10.2', '10.10.10.3']});
			const refused = await waymark(['run', 'vpn-multinode', ...targets, '--answers', bad, '--yes', '--json'], env);
			assert.equal(refused.exitCode, 2, String(refused.stdout) + String(refused.stderr));
			assert.match(String(refused.stderr) + String(refused.stdout), /managementIps: 10\.10\.10\.2 \(node europe\) is outside the mesh/);
			for (const host of lab!.hosts) {
				assert.deepEqual(
					(await host.changedFiles()).filter(file => file !== '/etc/hosts'),
					[],
					host.alias,
				);
			}
		});

		test('with mesh: peervpn, the missing PeerVPN binary is said and the WireGuard mesh offered', async () => {
			const peervpn = answersFile('peervpn', {mesh: 'peervpn'});
			const refused = await waymark(['run', 'vpn-multinode', ...targets, '--answers', peervpn, '--yes', '--json'], env);
			assert.equal(refused.exitCode, 1, String(refused.stdout).slice(-3000) + String(refused.stderr));
			const failed = jsonEvents(String(refused.stdout)).filter(event => event.type === 'step-end' && event['status'] === 'failed') as Array<{
				stepId: string;
				message: string;
				remedy: string;
			}>;
			assert.ok(failed.length > 0, String(refused.stdout).slice(-3000));
			for (const failure of failed) {
				assert.match(failure.stepId, /^peervpn-config-(controller|node)$/);
				assert.match(failure.message, /PeerVPN is not installed on ssh:meshno\d: it is unmaintained since 2016/);
				assert.match(failure.remedy, /set `mesh: wireguard`/);
			}

			// Nothing of PeerVPN was written: no config, no unit.
			for (const host of lab!.hosts) {
				assert.deepEqual(
					(await host.changedFiles()).filter(file => /peervpn/.test(file)),
					[],
					host.alias,
				);
			}
		});
	});
}
