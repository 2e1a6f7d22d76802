// Rules added once, where they take effect: checked against the real iptables in a throwaway network namespace.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {appendCommand} from '../../../wizards/common/iptables-append.js';

import {masquerade} from './shared-steps.js';

const allow = {table: 'filter', rule: '-A INPUT -p udp -m udp --dport 1194 -j ACCEPT'} as const;
const root = process.getuid?.() === 0;

test("filter rules go to the top of their chain; NAT rules keep the guide's order", () => {
	assert.match(appendCommand(allow), /\|\| iptables -w -t filter -I INPUT 1 -p udp -m udp --dport 1194 -j ACCEPT$/);
	assert.match(appendCommand(masquerade), /\|\| iptables -w -t nat -A POSTROUTING -o eth1 -j MASQUERADE$/);
});

test('with a REJECT already at the end of INPUT, the rule lands before it, once', {
	skip: root || process.env.CI === 'true' ? false : 'needs root for a network namespace',
}, async () => {
	const script = ['iptables -A INPUT -j REJECT', appendCommand(allow), appendCommand(allow), 'iptables -S INPUT'].join('\n');
	const result = await execa('unshare', ['--net', '--', 'sh', '-c', script], {reject: false});
	assert.equal(result.exitCode, 0, result.stderr);
	assert.deepEqual(result.stdout.split('\n'), [
		'-P INPUT ACCEPT',
		'-A INPUT -p udp -m udp --dport 1194 -j ACCEPT',
		'-A INPUT -j REJECT --reject-with icmp-port-unreachable',
	]);
});
