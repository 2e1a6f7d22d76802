// The WireGuard configs vpn-multinode renders, brought up by hand with wireguard-go, `wg setconf` and `ip` in three lab
// hosts (this kernel has no WireGuard module): every host pings every other across the mesh. No CLI, no wg-quick.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {createLabNetwork, type LabNetwork} from '../lab/lab-host.js';
import {ensurePackages, labSkipReason} from '../lab/packages.js';
import type {FileAction, TargetInfo} from '../../source/engine/types.js';
import {vpnMultinode} from '../../wizards/vpn-multinode.js';
import {facts, step} from '../wizards/step-harness.js';
import {hostContexts, runSecrets} from '../wizards/vpn-multinode-fixtures.js';
import {ensureTunDevice, meshPackages} from './vpn-multinode-lab.js';

const skip = await labSkipReason();
const meshIps = ['10.42.42.1', '10.42.42.2', '10.42.42.3'];

describe('vpn-multinode WireGuard configs on wireguard-go', {skip}, () => {
	let lab: LabNetwork;

	before(async () => {
		await ensurePackages(meshPackages);
		lab = await createLabNetwork(3, {prefix: 'wgmesh'});
	});

	after(async () => {
		await lab?.destroy();
	});

	test('each host\'s rendered config loads with wg setconf, and every host pings every other', async () => {
		const addresses = lab.hosts.map(host => host.address!);
		const answers = {
			controllerHostname: 'vpn.lab.test',
			controllerPublicIp: addresses[0],
			nodeNames: ['europe', 'asia'],
			nodeHostnames: ['europe.lab.test', 'asia.lab.test'],
			nodePublicIps: addresses.slice(1),
			nodeMeshIps: meshIps.slice(1),
			ranges: ['10.0.0.0/24', '10.20.30.0/24'],
		};
		const targets: TargetInfo[] = lab.hosts.slice(1).map(host => ({kind: 'ssh', label: `ssh:${host.alias}`}));
		const contexts = hostContexts(answers, await runSecrets(answers), targets);
		for (const [index, host] of lab.hosts.entries()) {
			const role = index === 0 ? 'controller' : 'node';
			const plan = step(vpnMultinode, `wireguard-config-${role}`).plan(contexts[index]!, facts({config: null, link: 'down', unit: ''}));
			const config = plan.actions.find((action): action is FileAction => action.kind === 'file')!;
			await ensureTunDevice(host);
			// wireguard-go forks into the background with its output on /dev/null; it lives in the lab's pid namespace and dies with it.
			const up = await host.exec(
				[
					'set -e',
					'umask 077',
					'mkdir -p /etc/wireguard',
					'cat > /etc/wireguard/wg-mesh.conf',
					'wireguard-go wg-mesh 2>/dev/null',
					'wg-quick strip /etc/wireguard/wg-mesh.conf > /run/wg-mesh.setconf',
					'wg setconf wg-mesh /run/wg-mesh.setconf',
					`ip address add ${meshIps[index]!}/24 dev wg-mesh`,
					'ip link set wg-mesh up',
				].join('\n'),
				{input: config.after, timeoutMs: 30_000},
			);
			assert.equal(up.exitCode, 0, `${host.alias}: ${up.stdout}${up.stderr}`);
		}

		for (const [index, host] of lab.hosts.entries()) {
			for (const [other, address] of meshIps.entries()) {
				if (other !== index) {
					const ping = await host.exec(`ping -n -q -c 3 -i 0.2 -W 2 ${address}`, {timeoutMs: 15_000});
					assert.equal(ping.exitCode, 0, `${host.alias} → ${address}: ${ping.stdout}${ping.stderr}`);
				}
			}

			const peers = await host.exec('wg show wg-mesh latest-handshakes');
			const times = peers.stdout.trim().split('\n').map(line => Number(line.split('\t')[1]));
			assert.equal(times.length, 2);
			assert.ok(times.every(time => time > 0), `${host.alias} shook hands with both peers: ${peers.stdout}`);
		}
	});
});
