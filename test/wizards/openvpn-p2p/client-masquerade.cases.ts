// client-masquerade as data: the guide's MASQUERADE rule added with -C first (never twice), then saved.
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, scriptOf, secrets} from './fixtures.js';

const add = 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE (unless present)';
const save = 'Save the rules for the next boot (/etc/iptables/rules.v4)';

export const clientMasqueradeCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'client-masquerade',
	answers,
	secrets,
	cases: [
		{
			name: 'no rule: added unless present, then saved',
			facts: {iptables: '/usr/sbin/iptables\n', saved: null, rule0: absent},
			expected: [`command ${add}`, `command ${save}`],
			also: plan => {
				assert.equal(
					scriptOf(plan, add),
					'iptables -w -t nat -C POSTROUTING -o eth0 -j MASQUERADE 2>/dev/null || iptables -w -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
				);
				assert.match(scriptOf(plan, save), /iptables-save > \/etc\/iptables\/rules\.v4/);
			},
		},
		{
			name: 'present and saved: nothing to do',
			facts: {iptables: '/usr/sbin/iptables\n', saved: '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n', rule0: 'present\n'},
			expected: 'noop',
		},
		{
			name: 'the interface is on the host (sysfs lists it): the rule is added',
			facts: {iptables: '/usr/sbin/iptables\n', saved: null, rule0: absent, links: 'eth0\nlo\n'},
			expected: [`command ${add}`, `command ${save}`],
		},
		{
			// A fresh cloud image names its NIC by place; iptables takes `-o eth0` there and NAT matches nothing.
			name: 'no eth0 on a host whose NIC is ens3: stops before any change, naming the interfaces there',
			facts: {iptables: '/usr/sbin/iptables\n', saved: null, rule0: absent, links: 'ens3\nlo\n'},
			expected: {throws: /has no network interface eth0, so a rule for it would match no packet\. Its interfaces: ens3, lo\./},
		},
	],
};
