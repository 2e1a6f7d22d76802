// Rules added once, where they take effect: checked against the real iptables in a throwaway network namespace.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {appendCommand} from '../../wizards/common/iptables-append.js';

const allow = {table: 'filter', rule: '-A INPUT -p udp -m udp --dport 1194 -j ACCEPT'} as const;
const masquerade = {table: 'nat', rule: '-A POSTROUTING -o eth1 -j MASQUERADE'} as const;
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

test('iptables not installed yet (a dry run reads the host before the install step): the rules are planned, and stop with the remedy if it stays missing', async () => {
	const {iptablesAppendStep} = await import('../../wizards/common/iptables-append.js');
	const {facts, summary} = await import('./step-harness.js');
	const nat = iptablesAppendStep({id: 'nat', title: 'NAT', why: 'test', role: 'node', rules: () => [masquerade]});
	const ctx = {answers: {}, target: {kind: 'ssh', label: 'ssh:node1'}, bindings: {}, secrets: new Map()} as const;
	const fresh = facts({
		iptables: {text: '', exitCode: 1},
		saved: null,
		boot: 'none\n',
		ufw: {text: '', exitCode: 1},
		firewalld: {text: '', exitCode: 1},
		rule0: {text: '', exitCode: 127},
	});
	const planned = nat.plan(ctx, fresh);
	const [rules, save] = summary(planned);
	assert.equal(rules?.[0], 'command iptables: iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE');
	assert.match(save?.[0] ?? '', /Save the rules/);
	assert.match(planned.notes.join(' '), /iptables is not installed on ssh:node1 yet/);
	// Still missing when the command runs: it stops, with the remedy, before touching anything.
	const result = await execa('/bin/sh', ['-c', rules![1]], {reject: false, env: {PATH: '/nonexistent'}, extendEnv: false});
	assert.equal(result.exitCode, 1);
	assert.match(result.stderr, /iptables is not installed: install it \(apt-get install iptables\)/);
});
