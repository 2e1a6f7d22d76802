// Every wizard, checked when it loads.
import {checkWizards} from '../source/engine/load-wizards.js';
import type {Wizard} from '../source/engine/types.js';
import {cloudpipe} from './cloudpipe/index.js';
import {hypervisors} from './hypervisors/index.js';
import {openvpnP2p} from './openvpn-p2p/index.js';
import {uwsgiNode} from './uwsgi-node/index.js';
import {vpnMultinode} from './vpn-multinode/index.js';

export const wizards: readonly Wizard[] = checkWizards([uwsgiNode, openvpnP2p, cloudpipe, vpnMultinode, hypervisors]);

export function findWizard(id: string): Wizard | undefined {
	return wizards.find(wizard => wizard.id === id);
}
