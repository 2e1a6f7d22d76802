// Every case table of the vpn-multinode guide's steps, in the wizard's order.
import {eduvpnProfilesCases} from './eduvpn-profiles.cases.js';
import {eduvpnServerConfigCases, eduvpnServerConfigOfflineCases} from './eduvpn-server-config.cases.js';
import {runMeshCases} from './mesh-cases.js';
import {meshFirewallCases, meshFirewallMisboundCases, meshFirewallOfflineCases} from './mesh-firewall.cases.js';
import {meshPackagesCases, meshPackagesOfflineCases} from './mesh-packages.cases.js';
import {openvpnAfterMeshCases, openvpnAfterMeshOfflineCases} from './openvpn-after-mesh.cases.js';
import {peervpnConfigControllerCases, peervpnConfigNodeCases, peervpnConfigOfflineCases} from './peervpn-config.cases.js';
import {peervpnServiceCases, peervpnServiceOfflineCases} from './peervpn-service.cases.js';
import {wireguardConfigControllerCases, wireguardConfigGrownCases, wireguardConfigMisboundCases, wireguardConfigNodeCases} from './wireguard-config.cases.js';
import {wireguardUpCases, wireguardUpOfflineCases} from './wireguard-up.cases.js';

const tables = [
	meshPackagesCases,
	meshPackagesOfflineCases,
	peervpnConfigControllerCases,
	peervpnConfigNodeCases,
	peervpnConfigOfflineCases,
	peervpnServiceCases,
	peervpnServiceOfflineCases,
	wireguardConfigControllerCases,
	wireguardConfigNodeCases,
	wireguardConfigGrownCases,
	wireguardConfigMisboundCases,
	wireguardUpCases,
	wireguardUpOfflineCases,
	meshFirewallCases,
	meshFirewallMisboundCases,
	meshFirewallOfflineCases,
	eduvpnProfilesCases,
	eduvpnServerConfigCases,
	eduvpnServerConfigOfflineCases,
	openvpnAfterMeshCases,
	openvpnAfterMeshOfflineCases,
];

for (const table of tables) {
	runMeshCases(table);
}
