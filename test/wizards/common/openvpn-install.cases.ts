// openvpn-install as data: installed only when missing, with the extra programs a guide needs; no apt, no guess.
import type {CaseTable} from '../cases.js';
import {sharedSteps} from './shared-steps.js';

const debian12 = 'OpenVPN 2.6.3 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]\n';
const apt = '/usr/bin/apt-get\n';

export const openvpnInstallCases: CaseTable = {
	wizard: sharedSteps,
	step: 'openvpn',
	answers: {},
	cases: [
		{
			name: 'installed with its extras: nothing',
			facts: {'openvpn-version': debian12, apt, 'has-iptables': '/usr/sbin/iptables\n'},
			expected: 'noop',
			notes: [/^OpenVPN 2\.6\.3 is installed\.$/],
		},
		{
			name: 'neither there: both from the distribution',
			facts: {'openvpn-version': '', apt, 'has-iptables': {text: '', exitCode: 1}},
			expected: ['command apt-get install openvpn iptables'],
			notes: [/openvpn, iptables missing/],
			after: {'openvpn-version': debian12, 'has-iptables': '/usr/sbin/iptables\n'},
		},
		{
			name: 'only an extra missing: only that',
			facts: {'openvpn-version': debian12, apt, 'has-iptables': {text: '', exitCode: 1}},
			expected: ['command apt-get install iptables'],
			after: {'has-iptables': '/usr/sbin/iptables\n'},
		},
		{
			name: 'no apt-get: the step stops, naming what to install',
			facts: {'openvpn-version': '', apt: {text: '', exitCode: 1}, 'has-iptables': '/usr/sbin/iptables\n'},
			expected: {throws: /openvpn is not installed on ssh:node1, and it has no apt-get to install it/},
		},
		{
			name: 'an offline image: the packages are planned for when it first boots',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {'openvpn-version': {unavailable: true}, apt: {unavailable: true}, 'has-iptables': {unavailable: true}},
			expected: ['command apt-get install openvpn iptables'],
			notes: [/Offline target: the packages are installed when the image first boots/],
		},
	],
};
