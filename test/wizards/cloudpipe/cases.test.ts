// Every case table of the cloudpipe guide's steps.
import {runCases} from '../cases.js';
import {networkForwardingCases} from './network-forwarding.cases.js';
import {networkPackagesCases} from './network-packages.cases.js';
import {networkPortForwardCases} from './network-port-forward.cases.js';
import {networkUserDataCases} from './network-user-data.cases.js';
import {vpnImageCases} from './vpn-image.cases.js';
import {vpnOpenvpnCases} from './vpn-openvpn.cases.js';
import {vpnSecurityGroupCases} from './vpn-security-group.cases.js';
import {vpnUserDataCases} from './vpn-user-data.cases.js';

for (const table of [
	networkUserDataCases,
	networkPackagesCases,
	networkForwardingCases,
	networkPortForwardCases,
	vpnOpenvpnCases,
	vpnImageCases,
	vpnSecurityGroupCases,
	vpnUserDataCases,
]) {
	runCases(table);
}
