// The guide's troubleshooting as read-only checks: "All machines should be able to ping each other!"
import type {FactDef, Parsed} from '../../source/engine/step.js';
import {quote} from '../../source/targets/quote.js';
import type {Check} from '../../source/engine/types.js';
import {meshHosts, type MeshPlace, type Topology} from './mesh-topology.js';

// Echoes every 0.2 s until one answers, for at most 8 s: the first may wait for WireGuard's handshake, and a
// handshake whose first initiation was lost (the peer's interface was still starting) is retried only after 5 s, so a
// shorter wait reports a working mesh as broken. A healthy peer answers the first echo.
export function pingCommand(address: string): string {
	return `ping -n -q -c 1 -w 8 -i 0.2 ${quote(address)}`;
}

/** What one ping across the mesh showed: whether it got through, and the line that says so. */
export interface PingResult {
	readonly reached: boolean;
	readonly evidence: string;
}

/** A ping of a peer's mesh address; undefined when the target could not run it (offline). */
export function pingResult(address: string): FactDef<PingResult | undefined> {
	return {
		request: {kind: 'command', command: pingCommand(address)},
		parse(fact) {
			if (fact.unavailable) {
				return undefined;
			}

			const summary = fact.text
				.trim()
				.split('\n')
				.find(line => /packets transmitted/.test(line));
			const missing = fact.exitCode === 127 ? ' (no ping here: install iputils-ping)' : '';
			return {reached: fact.exitCode === 0, evidence: summary ?? `ping exit ${fact.exitCode}${missing}`};
		},
	};
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

/** The handshake times of an interface's peers by mesh address; none when `wg show` failed or could not run. */
export function peerHandshakes(interfaceName: string): FactDef<ReadonlyMap<string, number>> {
	return {
		request: {kind: 'command', command: `wg show ${quote(interfaceName)} dump | tail -n +2`},
		parse: fact => handshakes(fact.unavailable || fact.exitCode !== 0 ? '' : fact.text.trim()),
	};
}

/** The mesh checks' facts: a ping of each peer (`ping:MESHIP`) and the interface's handshakes. */
export type MeshCheckDefs = {readonly [key: `ping:${string}`]: FactDef<PingResult | undefined>} & {
	readonly 'wg-dump': FactDef<ReadonlyMap<string, number>>;
};

export function meshCheckFacts(place: MeshPlace | undefined): MeshCheckDefs {
	if (!place) {
		// Bindings that do not fit the topology leave no peers to ask; the plan fails with the fix before reading any.
		return {} as MeshCheckDefs;
	}

	return {
		...Object.fromEntries(place.peers.map(peer => [`ping:${peer.meshIp}`, pingResult(peer.meshIp)])),
		'wg-dump': peerHandshakes(place.topology.wireguardInterface),
	};
}

export function meshChecks(place: MeshPlace, facts: Partial<Parsed<MeshCheckDefs>>): Check[] {
	const {topology, self} = place;
	const checks: Check[] = [];
	for (const peer of place.peers) {
		const ping = facts[`ping:${peer.meshIp}`];
		checks.push({
			id: `mesh-ping-${peer.hostname}`,
			title: `${self.hostname} pings ${peer.hostname} (${peer.meshIp}) across the mesh`,
			status: ping === undefined ? 'n/a' : ping.reached ? 'pass' : 'fail',
			evidence: ping?.evidence ?? 'not read',
			reason:
				`Every host must reach every other across the mesh; if not, check udp/${topology.port} between their ` +
				`public addresses and that both use this run's keys (set rekey: yes and run again when hosts hold keys ` +
				`of different runs).`,
		});
	}

	if (topology.mesh === 'wireguard') {
		const times = facts['wg-dump'] ?? new Map<string, number>();
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

/** What a name resolves to, as the host sees it (the guide: "Make sure the DNS entries work!"); undefined when not asked. */
export function resolvedAddresses(hostname: string): FactDef<readonly string[] | undefined> {
	return {
		request: {kind: 'command', command: `getent ahostsv4 ${quote(hostname)} | awk '{print $1}' | sort -u`},
		parse: fact => (fact.unavailable ? undefined : fact.text.split('\n').filter(Boolean)),
	};
}

/** Each mesh hostname resolved on the controller (`dns:HOSTNAME`). */
export type DnsCheckDefs = {readonly [key: `dns:${string}`]: FactDef<readonly string[] | undefined>};

export function dnsCheckFacts(topology: Topology): DnsCheckDefs {
	return Object.fromEntries(meshHosts(topology).map(host => [`dns:${host.hostname}`, resolvedAddresses(host.hostname)]));
}

export function dnsChecks(topology: Topology, facts: Partial<Parsed<DnsCheckDefs>>): Check[] {
	return meshHosts(topology).map(host => {
		const found = facts[`dns:${host.hostname}`];
		const addresses = found ?? [];
		const status = found === undefined ? 'n/a' : addresses.includes(host.publicIp) ? 'pass' : addresses.length === 0 ? 'warn' : 'fail';
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
