// client-keys as data: the guide's static key is written as a secret, with the deprecation said.
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, secrets, staticKey} from './fixtures.js';

export const clientKeysCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'client-keys',
	answers,
	secrets,
	cases: [
		{
			name: 'static-key: the one static key, and the warning that the mode is deprecated',
			answers: staticKey,
			facts: {'/etc/openvpn/client/mistio/static.key': null},
			expected: ['file /etc/openvpn/client/mistio/static.key', 'command Restart the client tunnel if it is running, so it reads the new files'],
			notes: [/deprecated/],
		},
	],
};
