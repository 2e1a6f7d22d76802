// server-openvpn as data: installed only when missing, and a clear stop where there is no apt-get.
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, openvpn26, secrets} from './fixtures.js';

const apt = '/usr/bin/apt-get\n';

export const serverOpenvpnCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-openvpn',
	answers,
	secrets,
	cases: [
		{
			name: 'missing (the pipe through head exits 0 with nothing): apt-get install openvpn, and only that',
			facts: {'openvpn-version': {text: '', exitCode: 0}, apt, 'has-iptables': absent},
			expected: ['command apt-get install openvpn'],
			after: {'openvpn-version': openvpn26},
		},
		{
			name: 'missing and no apt-get: stops, naming the host',
			facts: {'openvpn-version': {text: '', exitCode: 0}, apt: absent},
			expected: {throws: /openvpn is not installed on ssh:node1/},
		},
		{
			name: 'installed: nothing to do',
			facts: {'openvpn-version': 'OpenVPN 2.6.14 x86_64-pc-linux-gnu\n', apt},
			expected: 'noop',
			notes: [/^OpenVPN 2\.6\.14 is installed\.$/],
		},
	],
};
