// The guide's last step on each node: generate the OpenVPN server config of its profile with eduVPN's node tool.
import {command} from '../../source/targets/quote.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {toolsPresent} from '../../source/facts/iptables.js';
import {noop, plan, untilLive, waitsFor} from '../common/plan-helpers.js';
import {type Location, placeOf, topologyParams} from './mesh-topology.js';

export const serverConfigTool = 'vpn-server-node-server-config';

/** The guide's certificate name: `europe01.vpn.example` for profile europe of instance vpn.example. */
export function serverCommonName(node: Location, instance: string): string {
	return `${node.name}01.${instance}`;
}

export function serverConfigCommand(node: Location, instance: string): string {
	return command(serverConfigTool, '--instance', instance, '--profile', node.name, '--generate', '--cn', serverCommonName(node, instance));
}

/** eduVPN 1.x names the generated configs INSTANCE-PROFILE-N.conf. */
export function serverConfigPattern(node: Location, instance: string): RegExp {
	return new RegExp(`^${`${instance}-${node.name}`.replaceAll('.', '\\.')}-\\d+\\.conf$`, 'm');
}

export function eduvpnServerConfigStep(role: string): Step {
	return defineStep({
		id: 'eduvpn-server-config',
		title: "OpenVPN server config of this node's profile",
		why:
			'The guide ends with `vpn-server-node-server-config --instance vpn.example --profile europe --generate --cn europe01.vpn.example` on each ' +
			'node, one profile per node. ' +
			'It runs here once per node, only when no config for that profile exists yet (--generate makes a new certificate each time), and only where ' +
			"eduVPN's node tools are installed; eduVPN is not in Debian's archive, so elsewhere the step is deferred with what to install.",
		role,
		params: [...topologyParams],
		facts: () => ({tool: toolsPresent([serverConfigTool]), configs: commandOutput('ls /etc/openvpn/server /etc/openvpn 2>/dev/null; true')}),
		plan(ctx, facts) {
			const {topology, self} = placeOf(ctx);
			if (self.role !== 'node') {
				return noop('Only nodes serve a profile.');
			}

			const node = self as Location;
			const instance = topology.controller.hostname;
			if (facts.tool === 'offline') {
				return untilLive(`profile ${node.name}'s OpenVPN config is generated`);
			}

			// eduVPN is not in Debian's archive: without its node tools the config waits for them, said as such, never ok.
			if (facts.tool === 'missing') {
				return waitsFor(
					noop(),
					`eduVPN's ${serverConfigTool} is not installed on ${ctx.target.label} (eduVPN is not in Debian's archive), ` +
						`so profile ${node.name}'s OpenVPN server config is not generated.`,
					`Install eduVPN's vpn-server-node from eduVPN's own repository, then run the wizard again: ` +
						`it runs \`${serverConfigCommand(node, instance)}\` (eduVPN 1.x). ` +
						'eduVPN 3 nodes take their config from the controller instead: list the node in its /etc/vpn-user-portal/config.php and run vpn-maint-apply-changes.',
				);
			}

			if (serverConfigPattern(node, instance).test(facts.configs ?? '')) {
				return noop(`Profile ${node.name} already has its OpenVPN server config.`);
			}

			return plan([{kind: 'command', title: `${serverConfigTool} for profile ${node.name}`, script: serverConfigCommand(node, instance)}]);
		},
	});
}
