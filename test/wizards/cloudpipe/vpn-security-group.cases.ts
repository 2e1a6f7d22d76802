// vpn-security-group as data: nova's <project>-vpn group as the instance's own accept rules.
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {answers, image, secrets} from './fixtures.js';

export const vpnSecurityGroupCases: CaseTable = {
	wizard: cloudpipe,
	step: 'vpn-security-group',
	answers,
	secrets,
	cases: [
		{
			name: 'both rules present and saved: nothing to do',
			facts: {
				iptables: '/usr/sbin/iptables\n',
				saved: '*filter\n-A INPUT -p udp -m udp --dport 1194 -j ACCEPT\n-A INPUT -p icmp -j ACCEPT\nCOMMIT\n',
				rule0: 'present\n',
				rule1: 'present\n',
			},
			expected: 'noop',
		},
		{
			name: 'offline image: the rules wait for the live host',
			target: image,
			facts: {iptables: {unavailable: true}},
			expected: {unmet: 'deferred', reason: /Offline target/},
		},
	],
};
