// The guide's troubleshooting as read-only checks: "All machines should be able to ping each other!"
import {quote} from '../../source/targets/quote.js';
import type {Check, FactRequest, Facts} from '../../source/engine/types.js';
import {meshHosts, type MeshPlace, type Topology} from './mesh-topology.js';
import {fact, output} from '../common/plan-helpers.js';

// A few quick echoes: the first may wait for WireGuard's handshake; three tries bound the wait to a few seconds.
export function pingCommand(address: string): string {
	return `ping -n -q -c 3 -i 0.2 -W 2 ${quote(address)}`;
}

export function meshCheckFacts(place: MeshPlace): FactRequest[] {
	return [
		...place.peers.map(peer => ({kind: 'command' as const, key: `ping:${peer.meshIp}`, command: pingCommand(peer.meshIp)})),
		{kind: 'command', key: 'wg-dump', command: `wg show ${quote(place.topology.wireguardInterface)} dump | tail -n +2`},
	];
}

// The first line of `wg show dump` holds the private key: it is cut on the host and never read.
/** Latest handshake time per peer mesh address, from `wg show IF dump` (a peer line: key, psk, endpoint, allowed-ips, handshake, …). */
export function handshakes(dump: string): Map<string, number> {
	const times = new Map<string, number>();
	for (const fields of dump.split('\n').map(line => line.split('\t'))) {
		if (fields.length >= 8) {
			for (const allowed of (fields[3] ?? '').split(',')) {
				times.set(allowed.replace(/\/32$/, ''), Number(fields[4]));
			}
		}
	}

	return times;
}

export function meshChecks(place: MeshPlace, facts: Facts): Check[] {
	const {topology, self} = place;
	const checks: Check[] = [];
	for (const peer of place.peers) {
		const ping = fact(facts, `ping:${peer.meshIp}`);
		checks.push({
			id: `mesh-ping-${peer.hostname}`,
			title: `${self.hostname} pings ${peer.hostname} (${peer.meshIp}) across the mesh`,
			status: ping.unavailable ? 'n/a' : ping.exitCode === 0 ? 'pass' : 'fail',
			evidence: ping.unavailable
				? 'not read'
				: (ping.text
						.trim()
						.split('\n')
						.find(line => /packets transmitted/.test(line)) ??
					`ping exit ${ping.exitCode}${ping.exitCode === 127 ? ' (no ping here: install iputils-ping)' : ''}`),
			reason: `Every host must reach every other across the mesh; if not, check udp/${topology.port} between their public addresses and that both use this run's keys (set rekey: yes and run again when hosts hold keys of different runs).`,
		});
	}

	if (topology.mesh === 'wireguard') {
		const times = handshakes(output(facts, 'wg-dump') ?? '');
		const silent = place.peers.filter(peer => !((times.get(peer.meshIp) ?? 0) > 0));
		checks.push({
			id: 'mesh-port-reachable',
			title: `WireGuard handshakes over udp/${topology.port} with every peer`,
			status: silent.length === 0 ? 'pass' : 'fail',
			evidence:
				silent.length === 0
					? `${place.peers.length} peer(s) with a handshake`
					: `no handshake with ${silent.map(peer => `${peer.hostname} (${peer.publicIp}:${topology.port})`).join(', ')}`,
			reason: `A handshake proves udp/${topology.port} is open both ways between the public addresses.`,
		});
	}

	return checks;
}

/** What each mesh hostname resolves to, as the controller sees it (the guide: "Make sure the DNS entries work!"). */
export function dnsCheckFacts(topology: Topology): FactRequest[] {
	return meshHosts(topology).map(host => ({
		kind: 'command' as const,
		key: `dns:${host.hostname}`,
		command: `getent ahostsv4 ${quote(host.hostname)} | awk '{print $1}' | sort -u`,
	}));
}

export function dnsChecks(topology: Topology, facts: Facts): Check[] {
	return meshHosts(topology).map(host => {
		const found = fact(facts, `dns:${host.hostname}`);
		const addresses = found.text.split('\n').filter(Boolean);
		const status = found.unavailable ? 'n/a' : addresses.includes(host.publicIp) ? 'pass' : addresses.length === 0 ? 'warn' : 'fail';
		return {
			id: `dns-${host.hostname}`,
			title: `${host.hostname} resolves to ${host.publicIp}`,
			status,
			evidence: addresses.length === 0 ? `${host.hostname} does not resolve` : `${host.hostname} → ${addresses.join(', ')}`,
			reason:
				host.role === 'node'
					? "VPN clients of this profile connect to its hostName; it must point at the node's public address."
					: "The portal and the API are reached on the controller's hostname.",
		};
	});
}
