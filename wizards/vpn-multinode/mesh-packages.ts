// The packages the chosen mesh needs, instead of the guide's self-rebuilt PeerVPN RPM.
import {StepFailure} from '../../source/engine/errors.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {installedPackages} from '../../source/facts/apt.js';
import {programPath} from '../../source/facts/command.js';
import {wireguardSupport} from '../../source/facts/wireguard.js';
import {aptInstallScript} from '../common/apt-packages.js';
import {noop, plan} from '../common/plan-helpers.js';
import {placeOf, type Topology, topologyParams} from './mesh-topology.js';

/**
 * wireguard-go only where the kernel has no WireGuard module (before 5.6, or a container without it). iproute2 too:
 * wg-quick and the mesh checks call `ip`, and a minbase host may lack it.
 */
export function meshPackages(topology: Topology, kernelModule: boolean): string[] {
	const tools = ['iproute2', 'iptables', 'iputils-ping'];
	if (topology.mesh === 'peervpn') {
		return tools;
	}

	return ['wireguard-tools', ...(kernelModule ? [] : ['wireguard-go']), ...tools];
}

export function meshPackagesStep(role: string): Step {
	return defineStep({
		id: `mesh-packages-${role}`,
		title: 'Install the mesh packages',
		why:
			'The guide rebuilds a Fedora source RPM of PeerVPN on CentOS. ' +
			'PeerVPN is not packaged for current Debian and does not build against OpenSSL 3, so nothing of it is installed here; for the WireGuard ' +
			'mesh, wireguard-tools (and wireguard-go where the kernel has no WireGuard module) come from the distribution. ' +
			'iptables opens the mesh port and ping checks the mesh. ' +
			'They are installed without their Recommends: wireguard-tools recommends wireguard-modules, which apt satisfies with a whole Debian kernel ' +
			"image and initramfs wherever the running kernel is not a Debian package (a container, a provider's kernel), a kernel that never boots " +
			'there.',
		role,
		params: [...topologyParams],
		facts: () => ({apt: programPath('apt-get'), installed: installedPackages(), support: wireguardSupport()}),
		plan(ctx, facts) {
			const {topology} = placeOf(ctx);
			const wanted = meshPackages(topology, facts.support.kernel);
			const missing = wanted.filter(name => !facts.installed?.has(name));
			if (missing.length === 0) {
				return noop(`Already installed: ${wanted.join(', ')}.`);
			}

			if (facts.apt === undefined && ctx.target.kind !== 'root') {
				throw new StepFailure(
					`${ctx.target.label} has no apt-get: install ${missing.join(', ')} with its package manager.`,
					'Install them, then retry the step.',
				);
			}

			const install = aptInstallScript(missing, {recommends: false});
			return plan([{kind: 'command', title: `apt-get install ${missing.join(' ')}`, script: install}], [`Missing: ${missing.join(', ')}.`]);
		},
	});
}
