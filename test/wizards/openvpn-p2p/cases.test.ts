// Every case table of the openvpn-p2p guide's steps.
import {runCases} from '../cases.js';
import {clientServiceCases} from './client-service.cases.js';
import {clientConfigCases} from './client-config.cases.js';
import {clientForwardingCases} from './client-forwarding.cases.js';
import {clientKeysCases} from './client-keys.cases.js';
import {clientMasqueradeCases} from './client-masquerade.cases.js';
import {clientOpenvpnCases} from './client-openvpn.cases.js';
import {serverCapabilitiesCases} from './server-capabilities.cases.js';
import {serverConfigCases} from './server-config.cases.js';
import {serverHaproxyCases} from './server-haproxy.cases.js';
import {serverKeysCases} from './server-keys.cases.js';
import {serverNginxCases} from './server-nginx.cases.js';
import {serverOpenvpnCases} from './server-openvpn.cases.js';
import {serverRoutingCases} from './server-routing.cases.js';
import {serverServiceCases} from './server-service.cases.js';

for (const table of [
	serverOpenvpnCases,
	serverKeysCases,
	serverConfigCases,
	serverRoutingCases,
	serverServiceCases,
	serverNginxCases,
	serverHaproxyCases,
	serverCapabilitiesCases,
	clientOpenvpnCases,
	clientKeysCases,
	clientConfigCases,
	clientForwardingCases,
	clientMasqueradeCases,
	clientServiceCases,
]) {
	runCases(table);
}
