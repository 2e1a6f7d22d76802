// client-openvpn as data: a fresh client also gets iptables, which its NAT rule needs and a minimal image lacks.
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, openvpn26, secrets} from './fixtures.js';

const none = {'openvpn-version': '', apt: '/usr/bin/apt-get\n', 'has-iptables': absent};

export const clientOpenvpnCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'client-openvpn',
	answers,
	secrets,
	cases: [
		{
			name: 'fresh client: openvpn and iptables in one install',
			facts: none,
			expected: ['command apt-get install openvpn iptables'],
			after: {'openvpn-version': openvpn26, 'has-iptables': '/usr/sbin/iptables\n'},
		},
		{
			name: 'openvpn there, iptables not: iptables alone',
			facts: {...none, 'openvpn-version': 'OpenVPN 2.6.14 x\n'},
			expected: ['command apt-get install iptables'],
			after: {'has-iptables': '/usr/sbin/iptables\n'},
		},
		{
			name: 'both there: nothing to do',
			facts: {...none, 'openvpn-version': 'OpenVPN 2.6.14 x\n', 'has-iptables': '/usr/sbin/iptables\n'},
			expected: 'noop',
		},
	],
};
