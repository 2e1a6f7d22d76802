// The guide's /etc/peervpn/vpn.conf on every host: one psk for all, the mesh address, the controller as first peer.
import {StepFailure} from '../../source/engine/errors.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {programPath} from '../../source/facts/command.js';
import {fileWithMode} from '../../source/facts/files.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';
import {mayKeepKeys, meshConfigHead} from './mesh-members.js';
import {isMeshPsk, pskSecretName} from './mesh-secrets.js';
import {meshAddress, type MeshPlace, placeOf, topologyParams} from './mesh-topology.js';

export const peervpnConfigPath = '/etc/peervpn/vpn.conf';

/** The remedy wherever PeerVPN cannot be used: the same topology on WireGuard. */
export const offerWireguard =
	'Use the maintained WireGuard mesh for the same topology: set `mesh: wireguard` in the answers and run the wizard again. ' +
	'To stay with PeerVPN, install a peervpn binary on every host yourself, then retry.';

export function renderPeervpnConfig(place: MeshPlace, psk: string): string {
	const {topology, self} = place;
	const lines = [
		...meshConfigHead('peervpn-config', topology),
		`networkname ${topology.networkName}`,
		`psk ${psk}`,
		`ifconfig4 ${meshAddress(topology, self)}`,
		`port ${topology.port}`,
	];
	if (self.role === 'node') {
		lines.push(`initpeers ${topology.controller.publicIp} ${topology.port}`);
	}

	return `${lines.join('\n')}\n`;
}

/** The psk an existing vpn.conf holds, when it was written for the same hosts and is still a strong one. */
export function keptPsk(place: MeshPlace, existing: string | null): string | undefined {
	if (!mayKeepKeys(existing, place.topology)) {
		return undefined;
	}

	const psk = /^psk (\S+)$/m.exec(existing)?.[1];
	return psk !== undefined && isMeshPsk(psk) ? psk : undefined;
}

export function peervpnConfigStep(role: string): Step {
	return defineStep({
		id: `peervpn-config-${role}`,
		title: 'PeerVPN mesh config /etc/peervpn/vpn.conf',
		why:
			'The guide gives every machine the same networkname and psk, its own ifconfig4 address, and on the ' +
			'nodes `initpeers vpn.example 7000`. Here the psk is made by Waymark (like `pwgen -s 32`, never shown), ' +
			"the file is mode 0600, the port is written out, and initpeers names the controller's public address " +
			'so the mesh does not wait for DNS. PeerVPN is unmaintained since 2016 and not packaged for current ' +
			'Debian: without a peervpn binary this step stops and offers the WireGuard mesh instead.',
		role,
		params: [...topologyParams],
		facts: () => ({config: fileWithMode(peervpnConfigPath), binary: programPath('peervpn')}),
		plan(ctx, facts) {
			const place = placeOf(ctx);
			if (place.topology.mesh !== 'peervpn') {
				return noop('The mesh is WireGuard (mesh: wireguard): PeerVPN is unmaintained and not packaged, so no vpn.conf is written.');
			}

			if (ctx.target.kind !== 'root' && facts.binary === undefined) {
				throw new StepFailure(
					`PeerVPN is not installed on ${ctx.target.label}: it is unmaintained since 2016 (0.044), not packaged ` +
						`for current Debian, and does not build against OpenSSL 3.`,
					offerWireguard,
				);
			}

			const before = facts.config.text;
			const kept = keptPsk(place, before);
			const psk = kept ?? ctx.secrets.get(pskSecretName) ?? '';
			if (!isMeshPsk(psk)) {
				throw new StepFailure('This run has no usable PeerVPN psk.', 'Start a new run so Waymark makes one.');
			}

			const after = renderPeervpnConfig(place, psk);
			return plan(
				[fileChange(peervpnConfigPath, before, after, {mode: 0o600, secret: true}, facts.config.mode)],
				[kept ? 'The psk already on this host is kept (same hosts).' : 'The psk made for this run is written (same on every host).'],
			);
		},
	});
}
