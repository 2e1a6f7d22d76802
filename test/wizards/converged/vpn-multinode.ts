// vpn-multinode with the guide's topology (controller vpn.example, nodes europe and asia) on the default WireGuard
// mesh, every host on Debian 12 with the WireGuard module in its kernel.
import type {StepContext} from '../../../source/engine/types.js';
import {wireguardPublicKey} from '../../../source/keys/wireguard.js';
import {parseWireguardKeys, wireguardSecretName} from '../../../wizards/vpn-multinode/mesh-secrets.js';
import {meshJump, meshRules} from '../../../wizards/vpn-multinode/mesh-firewall.js';
import {type Location, meshAddress, meshHosts, placeOf, readTopology} from '../../../wizards/vpn-multinode/mesh-topology.js';
import {serverConfigTool} from '../../../wizards/vpn-multinode/eduvpn-server-config.js';
import {controllerTarget, guideAnswers, nodeTargets, runSecrets} from '../vpn-multinode/fixtures.js';
import {iptablesSave, ipv6After, minbasePackages, withPackages, type Values, type WizardCases} from './host.js';

const secrets = await runSecrets(guideAnswers);
const keys = parseWireguardKeys(secrets.get(wireguardSecretName)!);

function ping(address: string): string {
	return [
		`PING ${address} (${address}) 56(84) bytes of data.`,
		'',
		`--- ${address} ping statistics ---`,
		'3 packets transmitted, 3 received, 0% packet loss, time 402ms',
		'rtt min/avg/max/mdev = 0.512/0.601/0.702/0.078 ms',
		'',
	].join('\n');
}

/** Every peer answers across the mesh, and `wg show dump` (its first line cut) has a recent handshake with each. */
function meshUp(ctx: StepContext): Values {
	const {peers, topology} = placeOf(ctx);
	// Per peer: public key, preshared key, endpoint, allowed ips, latest handshake, bytes in and out, keepalive.
	const dump = peers.map(peer => {
		const key = wireguardPublicKey(keys.get(peer.hostname)!);
		return [key, '(none)', `${peer.publicIp}:${topology.port}`, `${peer.meshIp}/32`, '1736848800', '9212', '8876', 'off'].join('\t');
	});
	return {...Object.fromEntries(peers.map(peer => [`ping:${peer.meshIp}`, ping(peer.meshIp)])), 'wg-dump': `${dump.join('\n')}\n`};
}

function firewallAfter(ctx: StepContext): Values {
	const place = placeOf(ctx);
	const chain = meshRules(place);
	const jump = meshJump(place.topology.port);
	const saved = iptablesSave({filter: [...chain, jump]});
	return {...meshUp(ctx), chain: `${chain.join('\n')}\n`, input: `-P INPUT ACCEPT\n${jump}\n`, saved, boot: 'waymark\n', ...ipv6After(chain, jump)};
}

function resolves(ctx: StepContext): Values {
	return Object.fromEntries(meshHosts(readTopology(ctx.answers)).map(host => [`dns:${host.hostname}`, `${host.publicIp}\n`]));
}

/** An eduVPN 1.x instance's API config before the profiles are merged in. */
const eduvpnApiConfig = '# eduVPN vpn-server-api instance configuration\napiConsumers:\n    vpn-user-portal: portal-secret\n';

/** What `ls /etc/openvpn/server /etc/openvpn` lists once the node tool generated its profile's config. */
function serverConfigs(ctx: StepContext): Values {
	const {topology, self} = placeOf(ctx);
	return {configs: `${topology.controller.hostname}-${self.role === 'node' ? (self as Location).name : ''}-0.conf\n`};
}

const packages = {before: {support: 'kernel\n'}, after: {installed: withPackages(minbasePackages, 'wireguard-tools', 'iptables', 'iputils-ping')}};
const config = {before: {link: 'down\n', unit: {text: 'inactive\n', exitCode: 3}}};
const up = {
	before: {
		tools: '/usr/bin/wg-quick\n/usr/bin/wg\n',
		support: 'kernel\n',
		address: {text: '', exitCode: 1},
		enabled: {text: 'disabled\n', exitCode: 1},
		active: {text: 'inactive\n', exitCode: 3},
		port: {text: '', exitCode: 1},
	},
	after: (ctx: StepContext): Values => {
		const {topology, self} = placeOf(ctx);
		const name = topology.wireguardInterface;
		const address = `7: ${name}    inet ${meshAddress(topology, self)} scope global ${name}\\       valid_lft forever preferred_lft forever\n`;
		return {enabled: 'enabled\n', active: 'active\n', port: `${topology.port}\n`, address};
	},
};
const firewall = {
	before: (ctx: StepContext): Values => ({
		iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
		chain: {text: '', exitCode: 1},
		input: '-P INPUT ACCEPT\n',
		...Object.fromEntries(placeOf(ctx).peers.map(peer => [`ping:${peer.meshIp}`, {text: '', exitCode: 1}])),
		'wg-dump': '',
	}),
	after: firewallAfter,
};

const peervpnBinary = '/usr/local/sbin/peervpn\n';
const peervpnPackages = {before: {support: 'kernel\n'}, after: {installed: withPackages(minbasePackages, 'iptables', 'iputils-ping')}};
const peervpnService = {
	before: {binary: peervpnBinary, known: {text: '', exitCode: 1}, enabled: {text: '', exitCode: 1}, active: {text: 'inactive\n', exitCode: 3}, listening: ''},
	after: {known: 'yes\n', enabled: 'enabled\n', active: 'active\n', listening: 'UNCONN 0      0            0.0.0.0:7000      0.0.0.0:*\n'},
};

export const vpnMultinodeCases: WizardCases = {
	answers: guideAnswers,
	secrets,
	bindings: {controller: [controllerTarget], node: nodeTargets},
	steps: {
		'mesh-packages-controller': packages,
		'mesh-packages-node': packages,
		// PeerVPN is not the default mesh: its steps leave the hosts alone.
		'peervpn-config-controller': {},
		'peervpn-config-node': {},
		// Its check reads ss whatever the mesh; the kernel's WireGuard socket is not listed there.
		'peervpn-service-controller': {before: {listening: ''}},
		'peervpn-service-node': {before: {listening: ''}},
		'wireguard-config-controller': config,
		'wireguard-config-node': config,
		'wireguard-up-controller': up,
		'wireguard-up-node': up,
		'mesh-firewall-controller': firewall,
		'mesh-firewall-node': firewall,
		// eduVPN is not in Debian: converged means its packages came from eduVPN's own repository (without them both
		// steps are deferred, their cases in vpn-multinode/eduvpn-*.cases.ts). The DNS entries the guide asks for exist.
		'eduvpn-profiles': {
			before: ctx => ({...Object.fromEntries(Object.keys(resolves(ctx)).map(key => [key, ''])), api: '', config: eduvpnApiConfig}),
			after: resolves,
		},
		'eduvpn-server-config': {before: {tool: `/usr/sbin/${serverConfigTool}\n`, configs: ''}, after: serverConfigs},
		'openvpn-after-mesh': {},
	},
	variants: [
		{
			// Not packaged anywhere current: a peervpn the operator built into /usr/local/sbin on every host.
			name: "the guide's PeerVPN mesh, self-built",
			answers: {mesh: 'peervpn'},
			steps: {
				'mesh-packages-controller': peervpnPackages,
				'mesh-packages-node': peervpnPackages,
				'peervpn-config-controller': {before: {binary: peervpnBinary}},
				'peervpn-config-node': {before: {binary: peervpnBinary}},
				'peervpn-service-controller': peervpnService,
				'peervpn-service-node': peervpnService,
				'wireguard-config-controller': {},
				'wireguard-config-node': {},
				'wireguard-up-controller': {},
				'wireguard-up-node': {},
				'mesh-firewall-controller': firewall,
				'mesh-firewall-node': firewall,
				'openvpn-after-mesh': {},
			},
		},
	],
};
