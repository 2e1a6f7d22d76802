// The guide's open TODO "OpenVPN not coming up on boot, because it is started before PeerVPN is ready", solved in systemd.
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {fileText} from '../../source/facts/files.js';
import {systemdRunning} from '../../source/facts/systemd.js';
import {fileChange, header, noop, plan} from '../common/plan-helpers.js';
import {placeOf, type Topology, topologyParams} from './mesh-topology.js';
import {peervpnUnit} from './peervpn-service.js';

export const openvpnDropInPath = '/etc/systemd/system/openvpn-server@.service.d/waymark-mesh.conf';

/** The unit that brings the chosen mesh up. */
export function meshUnit(topology: Topology): string {
	return topology.mesh === 'wireguard' ? `wg-quick@${topology.wireguardInterface}.service` : `${peervpnUnit}.service`;
}

export function openvpnDropIn(topology: Topology): string {
	const unit = meshUnit(topology);
	return [header('vpn-multinode', 'openvpn-after-mesh'), '[Unit]', `Wants=${unit}`, `After=${unit}`, ''].join('\n');
}

export function openvpnAfterMeshStep(role: string): Step {
	return defineStep({
		id: 'openvpn-after-mesh',
		title: 'Start OpenVPN only after the mesh is up',
		why:
			'The guide leaves a TODO: at boot OpenVPN started before PeerVPN was ready, so its management address ' +
			'on the mesh did not exist yet. A drop-in for every openvpn-server@ instance makes it want and wait ' +
			'for the mesh unit (wg-quick@ or peervpn@vpn). Without systemd there is nothing to order, and the step ' +
			'says so; an offline image gets the drop-in for the systemd that boots it.',
		role,
		params: [...topologyParams],
		facts: () => ({systemd: systemdRunning(), dropin: fileText(openvpnDropInPath)}),
		plan(ctx, facts) {
			const {topology} = placeOf(ctx);
			// Only a host that answered "no systemd" has nothing to order; an offline image gets the drop-in for its first boot.
			if (facts.systemd === false) {
				return noop(`No systemd on ${ctx.target.label}: have the init system start OpenVPN after the mesh (${meshUnit(topology)}).`);
			}

			const before = facts.dropin;
			const after = openvpnDropIn(topology);
			const offline = facts.systemd === undefined;
			return plan(
				[
					fileChange(openvpnDropInPath, before, after, {mode: 0o644}),
					!offline && before !== after && {kind: 'command', title: 'systemctl daemon-reload', script: 'systemctl daemon-reload'},
				],
				offline && before !== after ? ['Offline image: the drop-in is written for the systemd that boots it; nothing runs to reload.'] : [],
			);
		},
	});
}
