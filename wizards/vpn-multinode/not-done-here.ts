// The guide's instructions no step carries out: its unfinished TODOs, the scenario it marks as broken, and eduVPN 3.
import type {NotDoneHere} from '../../source/engine/types.js';

export const vpnMultinodeNotDoneHere: readonly NotDoneHere[] = [
	{
		instruction: 'More Servers: multiNode profiles in vpn-server-api config.yaml',
		reason:
			'The guide itself marks this layout as not working; Waymark carries out its More Locations layout (one profile per node). eduVPN 3 does multi-node upstream instead.',
	},
	{
		instruction: 'eduVPN 3: profiles in /etc/vpn-user-portal/config.php, node keys, vpn-daemon',
		reason:
			"Not written by Waymark yet: eduvpn-profiles and eduvpn-server-config write the guide's eduVPN 1.x layout, and on a host without it they wait (deferred), saying what to copy into config.php.",
	},
	{
		instruction: 'use deploy_node.sh on a fresh CentOS install',
		reason: "The script is not in the guide and CentOS Linux has reached its end of life; eduVPN 3's documentation has its own Debian node deployment script.",
	},
	{
		instruction: 'TODO: configure the node in /etc/vpn-server-node/vpn.example/config.yaml',
		reason:
			'A TODO with no content in the guide. eduVPN 3 nodes are set up in /etc/vpn-server-node/config.php (apiUrl, nodeNumber, node key) as its MULTI_NODE.md says.',
	},
	{
		instruction: 'TODO: firewall.yaml, mark tap+ as a trusted device',
		reason:
			'A TODO with no content. Waymark opens only the mesh port between the hosts; where INPUT is restrictive, allow the mesh interface (wg-mesh, or tap for PeerVPN) in the host firewall.',
	},
];
