// network-port-forward as data: the project's public port DNATed to 1194 on its VPN, each rule -C before it is added.
import assert from 'node:assert/strict';
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, secrets} from './fixtures.js';

const dnat = 'iptables -t nat -A PREROUTING -d 198.51.100.1/32 -p udp -m udp --dport 41194 -j DNAT --to-destination 10.0.0.2:1194 (unless present)';
const accept = 'iptables -t filter -A FORWARD -d 10.0.0.2/32 -p udp -m udp --dport 1194 -j ACCEPT (unless present)';

export const networkPortForwardCases: CaseTable = {
	wizard: cloudpipe,
	step: 'network-port-forward',
	answers,
	secrets,
	cases: [
		{
			name: 'no rules: the DNAT and the FORWARD accept, each unless present, then saved',
			facts: {iptables: '/usr/sbin/iptables\n', saved: null, rule0: absent, rule1: absent},
			expected: [`command ${dnat}`, `command ${accept}`, 'command Save the rules for the next boot (/etc/iptables/rules.v4)'],
			also: plan => {
				const [first, second, save] = plan.actions;
				assert.equal(
					first?.kind === 'command' && first.script,
					'iptables -w -t nat -C PREROUTING -d 198.51.100.1/32 -p udp -m udp --dport 41194 -j DNAT --to-destination ' +
						'10.0.0.2:1194 2>/dev/null || iptables -w -t nat -A PREROUTING -d 198.51.100.1/32 -p udp -m udp --dport ' +
						'41194 -j DNAT --to-destination 10.0.0.2:1194',
				);
				assert.match(second?.kind === 'command' ? second.script : '', /-C FORWARD -d 10\.0\.0\.2\/32 -p udp -m udp --dport 1194 -j ACCEPT/);
				assert.match(save?.kind === 'command' ? save.title : '', /Save the rules/);
			},
		},
	],
};
