// The eduVPN multi-node guide (shared/guides/eduvpn-multi-node-peervpn.md): a controller and nodes joined by a mesh.
import {vpnMultinodeNotDoneHere} from './not-done-here.js';
import type {Step, Wizard} from '../../source/engine/types.js';
import {eduvpnProfilesStep} from './eduvpn-profiles.js';
import {eduvpnServerConfigStep} from './eduvpn-server-config.js';
import {meshFirewallStep} from './mesh-firewall.js';
import {meshPackagesStep} from './mesh-packages.js';
import {openvpnAfterMeshStep} from './openvpn-after-mesh.js';
import {pskSecret, wireguardSecret} from './mesh-secrets.js';
import {topologyErrors} from './mesh-topology-errors.js';
import {peervpnConfigStep} from './peervpn-config.js';
import {peervpnServiceStep} from './peervpn-service.js';
import {wireguardConfigStep} from './wireguard-config.js';
import {wireguardUpStep} from './wireguard-up.js';

const roles = ['controller', 'node'] as const;

/** Each mesh step once per role, controller first: every host is configured before any is brought up and checked. */
function onEveryHost(build: (role: string) => Step): Step[] {
	return roles.map(role => build(role));
}

export const vpnMultinode: Wizard = {
	id: 'vpn-multinode',
	title: 'eduVPN controller and nodes on a private mesh',
	guide: 'eduvpn-multi-node-peervpn.md',
	summary:
		"Joins an eduVPN controller and any number of OpenVPN nodes in a private mesh (WireGuard, or the guide's " +
		'PeerVPN), opens the mesh port between them only, writes one vpnProfiles entry per location on the ' +
		"controller, generates each node's server config, and checks that every host reaches every other.",
	roles: [...roles],
	params: [
		{
			name: 'mesh',
			type: 'enum',
			choices: ['wireguard', 'peervpn'],
			default: 'wireguard',
			help: "The private mesh: wireguard (maintained, in the kernel since 5.6, packaged) or peervpn (the guide's; unmaintained since 2016, not packaged)",
		},
		{name: 'meshPort', type: 'port', default: '7000', help: "UDP port of the mesh on every host (the guide's PeerVPN port; WireGuard listens on it too)"},
		{name: 'meshNetwork', type: 'cidr', default: '10.42.42.0/24', help: "The private mesh network (the guide's 10.42.42.0/24)"},
		{name: 'networkName', type: 'string', default: 'VPN', help: 'PeerVPN networkname'},
		{name: 'wireguardInterface', type: 'string', default: 'wg-mesh', help: 'WireGuard interface name (/etc/wireguard/NAME.conf, wg-quick@NAME)'},
		{name: 'controllerHostname', type: 'hostname', help: "The controller's hostname, also the eduVPN instance (the guide's vpn.example)"},
		{name: 'controllerPublicIp', type: 'ipv4', help: "The controller's public IPv4 address (the nodes' first mesh peer)"},
		{name: 'controllerMeshIp', type: 'ipv4', default: '10.42.42.1', help: "The controller's address on the mesh"},
		{name: 'nodeNames', type: 'word-list', help: 'One profile id per node, in the order of the node targets, e.g. europe asia'},
		{name: 'nodeHostnames', type: 'word-list', help: "Each node's hostname (the profile's hostName), e.g. europe.vpn.example asia.vpn.example"},
		{name: 'nodePublicIps', type: 'ipv4-list', help: "Each node's public IPv4 address"},
		{name: 'nodeMeshIps', type: 'ipv4-list', help: "Each node's address on the mesh (PeerVPN ifconfig4), e.g. 10.42.42.2 10.42.42.3"},
		{
			name: 'managementIps',
			type: 'ipv4-list',
			optional: true,
			default: [],
			help: "Each profile's managementIp; empty uses the node's mesh address (it must be one)",
		},
		{name: 'profileNumbers', type: 'word-list', optional: true, default: [], help: "Each profile's profileNumber; empty numbers them 1, 2, …"},
		{name: 'ranges', type: 'word-list', help: "Each profile's IPv4 client range (range), e.g. 10.0.0.0/24 10.20.30.0/24"},
		{
			name: 'ranges6',
			type: 'word-list',
			optional: true,
			default: [],
			help: "Each profile's IPv6 client range (range6), e.g. fd00:4242:4242::/48; empty for none",
		},
		{
			name: 'dns',
			type: 'word-list',
			default: ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844'],
			help: "DNS servers pushed to VPN clients (the guide's)",
		},
		{name: 'extIf', type: 'string', default: 'eth0', help: "The nodes' external interface (extIf, for NAT)"},
		{name: 'rekey', type: 'boolean', default: false, help: 'Make new mesh keys even where hosts already hold keys for the same hosts'},
	],
	secrets: [pskSecret, wireguardSecret],
	validate: answers => topologyErrors(answers),
	notDoneHere: vpnMultinodeNotDoneHere,
	steps: [
		...onEveryHost(meshPackagesStep),
		...onEveryHost(peervpnConfigStep),
		...onEveryHost(peervpnServiceStep),
		...onEveryHost(wireguardConfigStep),
		...onEveryHost(wireguardUpStep),
		...onEveryHost(meshFirewallStep),
		eduvpnProfilesStep('controller'),
		eduvpnServerConfigStep('node'),
		openvpnAfterMeshStep('node'),
	],
};
