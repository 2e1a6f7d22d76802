// vpn-openvpn as data: the VPN image needs openvpn, unzip for the payload, iptables for up.sh and openssl for the
// CRL refresh, and openvpn pulls in no openssl binary.
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, openvpn26, secrets} from './fixtures.js';

const bare = {'openvpn-version': '', apt: '/usr/bin/apt-get\n', 'has-unzip': absent, 'has-iptables': absent, 'has-openssl': absent};
const withOpenvpn = {...bare, 'openvpn-version': 'OpenVPN 2.6.14 x\n', 'has-unzip': '/usr/bin/unzip\n', 'has-iptables': '/usr/sbin/iptables\n'};

export const vpnOpenvpnCases: CaseTable = {
	wizard: cloudpipe,
	step: 'vpn-openvpn',
	answers,
	secrets,
	cases: [
		{
			name: 'a fresh image: all four in one install',
			facts: bare,
			expected: ['command apt-get install openvpn unzip iptables openssl'],
			after: {'openvpn-version': openvpn26, 'has-unzip': '/usr/bin/unzip\n', 'has-iptables': '/usr/sbin/iptables\n', 'has-openssl': '/usr/bin/openssl\n'},
		},
		{
			name: 'openvpn, unzip and iptables there: openssl still, or the CRL refresh fails',
			facts: withOpenvpn,
			expected: ['command apt-get install openssl'],
			after: {'has-openssl': '/usr/bin/openssl\n'},
		},
		{name: 'all there: nothing to do', facts: {...withOpenvpn, 'has-openssl': '/usr/bin/openssl\n'}, expected: 'noop'},
	],
};
