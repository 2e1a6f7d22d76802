// One /etc/wireguard/<if>.conf per host, every other host a peer: the guide's PeerVPN mesh on maintained software.
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {isWireguardKey, wireguardPublicKey} from '../../source/keys/wireguard.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {fileWithMode} from '../../source/facts/files.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';
import {mayKeepKeys, meshConfigHead} from './mesh-members.js';
import {parseWireguardKeys, wireguardSecretName} from './mesh-secrets.js';
import {meshAddress, type MeshPlace, placeOf, topologyParams} from './mesh-topology.js';

/** This host's private key and every peer's public key, by hostname. */
export interface MeshKeys {
	readonly privateKey: string;
	readonly publicKeys: ReadonlyMap<string, string>;
}

export function wireguardConfigPath(interfaceName: string): string {
	return `/etc/wireguard/${interfaceName}.conf`;
}

export function renderWireguardConfig(place: MeshPlace, keys: MeshKeys): string {
	const {topology, self, peers} = place;
	const lines = [
		...meshConfigHead('wireguard-config', topology),
		'[Interface]',
		`# ${self.hostname}`,
		`Address = ${meshAddress(topology, self)}`,
		`ListenPort = ${topology.port}`,
		`PrivateKey = ${keys.privateKey}`,
	];
	for (const peer of peers) {
		lines.push(
			'',
			'[Peer]',
			`# ${peer.hostname}`,
			`PublicKey = ${keys.publicKeys.get(peer.hostname) ?? ''}`,
			`AllowedIPs = ${peer.meshIp}/32`,
			`Endpoint = ${peer.publicIp}:${topology.port}`,
		);
	}

	return `${lines.join('\n')}\n`;
}

/** The keys an existing config holds: its PrivateKey and each `[Peer]`'s PublicKey under its `# hostname` line. */
export function keysInConfig(text: string): {privateKey?: string; publicKeys: Map<string, string>} {
	const publicKeys = new Map<string, string>();
	let privateKey: string | undefined;
	let peer: string | undefined;
	let section = '';
	for (const line of text.split('\n').map(each => each.trim())) {
		if (/^\[\w+\]$/.test(line)) {
			section = line;
			peer = undefined;
		} else if (section === '[Peer]' && line.startsWith('# ') && peer === undefined) {
			peer = line.slice(2);
		} else {
			const [, name, value = ''] = /^(\w+)\s*=\s*(\S+)$/.exec(line) ?? [];
			if (section === '[Interface]' && name === 'PrivateKey') {
				privateKey = value;
			} else if (section === '[Peer]' && name === 'PublicKey' && peer !== undefined) {
				publicKeys.set(peer, value);
			}
		}
	}

	return {privateKey, publicKeys};
}

/** Keys kept from the host's config when it was written for the same hosts, else this run's. */
export function meshKeys(place: MeshPlace, existing: string | null, secret: string | undefined): MeshKeys & {kept: boolean} {
	if (mayKeepKeys(existing, place.topology)) {
		const found = keysInConfig(existing);
		if (found.privateKey && isWireguardKey(found.privateKey) && place.peers.every(peer => isWireguardKey(found.publicKeys.get(peer.hostname) ?? ''))) {
			return {privateKey: found.privateKey, publicKeys: found.publicKeys, kept: true};
		}
	}

	const made = parseWireguardKeys(secret ?? '');
	const own = made.get(place.self.hostname);
	const missing = [place.self, ...place.peers].filter(host => !made.has(host.hostname)).map(host => host.hostname);
	if (!own || missing.length > 0) {
		throw new StepFailure(
			`This run's WireGuard keys lack ${missing.join(', ')}: the hosts changed after the keys were made.`,
			'Start a new run (waymark run vpn-multinode …) so keys are made for every host.',
		);
	}

	return {privateKey: own, publicKeys: new Map(place.peers.map(peer => [peer.hostname, wireguardPublicKey(made.get(peer.hostname)!)])), kept: false};
}

/**
 * Run after the interface (re)starts: a ping to each peer makes this host start a handshake with it, so a peer still
 * holding a session with the interface's previous instance takes the new one at once. Left to WireGuard, that peer
 * keeps sending on the dead session until its rekey timeout (about 15 s), and its mesh checks see this host as down.
 * The start's own failure is the script's: the pings only follow a start that worked.
 */
export function withGreeting(start: string, peers: readonly {readonly meshIp: string}[]): string {
	const greet = peers.map(peer => `ping -n -q -c 1 -W 1 ${quote(peer.meshIp)} >/dev/null 2>&1`);
	return [`${start} || exit $?`, ...greet, 'true'].join('\n');
}

/** Restarts a running interface so a changed config takes effect; wg-quick brings up wireguard-go where the kernel has no module. */
export function restartWireguard(interfaceName: string, viaSystemd: boolean, peers: readonly {readonly meshIp: string}[] = []): string {
	const name = quote(interfaceName);
	const restart = viaSystemd ? `systemctl restart ${quote(`wg-quick@${interfaceName}`)}` : `wg-quick down ${name}; wg-quick up ${name}`;
	return withGreeting(restart, peers);
}

/** Whether a network interface of this name exists now (up or down): a config change must then restart it. */
function linkExists(name: string): FactDef<boolean> {
	return {
		request: {kind: 'command', command: `ip link show dev ${quote(name)} >/dev/null 2>&1 && echo up || echo down`},
		parse: fact => !fact.unavailable && fact.exitCode === 0 && fact.text.trim() === 'up',
	};
}

/** Whether systemd runs and its wg-quick@ unit is active: the restart then goes through systemd, so the unit stays in step. */
function unitActiveUnderSystemd(name: string): FactDef<boolean> {
	return {
		request: {kind: 'command', command: `[ -d /run/systemd/system ] && systemctl is-active ${quote(`wg-quick@${name}`)}`},
		parse: fact => !fact.unavailable && fact.exitCode === 0 && fact.text.trim() === 'active',
	};
}

export function wireguardConfigStep(role: string): Step {
	return defineStep({
		id: `wireguard-config-${role}`,
		title: 'WireGuard mesh config (every other host a peer)',
		why:
			'The guide links the controller and the nodes with PeerVPN, which is dead since 2016 and not packaged; ' +
			'WireGuard (in the kernel since 5.6, wireguard-go elsewhere) gives the same mesh with the same addresses. ' +
			'Each host gets one /etc/wireguard config, mode 0600, listing every other host as a peer reached at ' +
			'its public address on the mesh port. Keys are made by Waymark on your machine and never shown; a host ' +
			'keeps the keys it has while the mesh has the same hosts.',
		role,
		params: [...topologyParams],
		facts(ctx) {
			const name = answerText(ctx.answers, 'wireguardInterface');
			return {config: fileWithMode(wireguardConfigPath(name)), link: linkExists(name), unit: unitActiveUnderSystemd(name)};
		},
		plan(ctx, facts) {
			const place = placeOf(ctx);
			const {topology} = place;
			if (topology.mesh !== 'wireguard') {
				return noop('The mesh is PeerVPN (mesh: peervpn), so no WireGuard config is written.');
			}

			const path = wireguardConfigPath(topology.wireguardInterface);
			const before = facts.config.text;
			const keys = meshKeys(place, before, ctx.secrets.get(wireguardSecretName));
			const after = renderWireguardConfig(place, keys);
			return plan(
				[
					fileChange(path, before, after, {mode: 0o600, secret: true}, facts.config.mode),
					before !== after &&
						facts.link && {
							kind: 'command',
							title: `Restart ${topology.wireguardInterface} with the new config`,
							script: restartWireguard(topology.wireguardInterface, facts.unit, place.peers),
						},
				],
				[
					`${place.peers.length} peer(s): ${place.peers.map(peer => `${peer.hostname} (${peer.meshIp})`).join(', ')}.`,
					keys.kept ? 'Keys kept from the existing config (same hosts).' : `Public key of this host: ${wireguardPublicKey(keys.privateKey)}.`,
				],
			);
		},
	});
}
