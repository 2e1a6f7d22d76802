// tuntap-firewall as data: the guide's udp/999 rules in a chain of their own, tested before they load, saved for boot.
import assert from 'node:assert/strict';
import type {Plan} from '../../../source/engine/types.js';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import type {CaseTable} from '../cases.js';
import type {FactValues} from '../step-harness.js';
import {nodeAnswers} from './answers.js';

const replace = 'command Replace chain WAYMARK-TUNTAP (tested first) and jump to it from INPUT';
const save = 'command Save the rules for the next boot (/etc/iptables/rules.v4)';

/** A host with iptables and nothing of ours yet. */
export const bareFirewall: FactValues = {
	iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
	chain: {text: '', exitCode: 1},
	input: '-P INPUT ACCEPT\n',
	ufw: '',
	firewalld: {text: '', exitCode: 1},
	saved: null,
};

const chain = [
	'-N WAYMARK-TUNTAP',
	'-A WAYMARK-TUNTAP -s 192.0.2.11/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
	'-A WAYMARK-TUNTAP -s 192.0.2.12/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
	'-A WAYMARK-TUNTAP -d 192.0.2.10/32 -p udp -m udp --dport 999 -j DROP',
];
const jump = '-A INPUT -p udp -m udp --dport 999 -j WAYMARK-TUNTAP';

/** The chain loaded, INPUT jumping to it, and both saved. */
const done: FactValues = {
	...bareFirewall,
	chain: `${chain.join('\n')}\n`,
	input: `-P INPUT ACCEPT\n${jump}\n`,
	saved: `*filter\n${chain.slice(1).join('\n')}\n${jump}\nCOMMIT\n`,
};

function script(plan: Plan, index: number): string {
	const action = plan.actions[index];
	assert.ok(action?.kind === 'command');
	return action.script;
}

export const tuntapFirewallCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'tuntap-firewall',
	answers: nodeAnswers,
	cases: [
		{
			name: 'the chain with -j (never -J), tested before it is loaded, then saved',
			facts: bareFirewall,
			expected: [replace, save],
			checks: {'tuntap-jump': 'fail'},
			after: {chain: done.chain!, input: done.input!, saved: done.saved!},
			also: plan => {
				const load = script(plan, 0);
				assert.match(load, /iptables-restore -w --noflush --test/);
				assert.match(load, /-A WAYMARK-TUNTAP -s 192\.0\.2\.11\/32 -d 192\.0\.2\.10\/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT/);
				assert.match(load, /iptables -w -C INPUT -p udp --dport 999 -j WAYMARK-TUNTAP 2>\/dev\/null \|\| iptables -w -I INPUT 1/);
				assert.doesNotMatch(load, /-J /);
				assert.match(script(plan, 1), /netfilter-persistent save/);
			},
		},
		{name: 'chain, jump and saved copy match: nothing to do', facts: done, expected: 'noop', checks: {'tuntap-jump': 'pass'}},
		{name: 'netfilter-persistent loads the saved rules at boot', facts: {...done, boot: 'netfilter-persistent\n'}, expected: 'noop'},
		{
			// After a reboot the port would be open to all, so it is not done.
			name: 'saved but nothing loads it at boot: only the save, which installs the boot unit',
			facts: {...done, boot: 'none\n'},
			expected: [save],
			after: {boot: 'waymark\n'},
			also: plan => assert.match(script(plan, 0), /systemctl enable waymark-iptables-restore\.service/),
		},
		{
			name: "a duplicated rule (the guide's -A twice) is not done: the chain is rebuilt",
			facts: {...done, chain: `${[...chain, chain[1]].join('\n')}\n`},
			expected: [replace, save],
			after: {chain: done.chain!},
		},
		{
			name: 'INPUT lost its jump: the chain is loaded again, which puts the jump back',
			facts: {...done, input: '-P INPUT ACCEPT\n'},
			expected: [replace, save],
			checks: {'tuntap-jump': 'fail'},
			after: {input: done.input!},
		},
		{
			name: 'beside an active ufw it refuses (the remedy names the ufw commands)',
			facts: {...bareFirewall, iptables: '/usr/sbin/iptables\n', input: '', ufw: 'Status: active\n'},
			expected: {throws: /ufw manages this firewall/},
		},
		{name: 'an inactive ufw is no reason to refuse', facts: {...done, ufw: 'Status: inactive\n'}, expected: 'noop'},
		{name: 'beside a running firewalld it refuses', facts: {...bareFirewall, firewalld: 'running\n'}, expected: {throws: /firewalld manages this firewall/}},
		{
			name: 'an enabled nftables.service whose nftables.conf flushes the ruleset: refused, since its next reload wipes the chain',
			facts: {...bareFirewall, nftables: 'flushes\n'},
			expected: {throws: /nftables\.service loads \/etc\/nftables\.conf, which begins with `flush ruleset`/},
		},
		{name: 'nftables installed but not enabled (Debian’s default): no reason to refuse', facts: {...done, nftables: ''}, expected: 'noop'},
		{
			name: 'iptables missing: it says so',
			facts: {...bareFirewall, iptables: {text: '', exitCode: 1}},
			expected: {throws: /iptables is not installed on ssh:node1/},
		},
		{
			name: 'an offline image cannot be asked: it waits for the live host',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {iptables: {unavailable: true}, chain: {unavailable: true}, input: {unavailable: true}, saved: null},
			expected: {unmet: 'deferred', reason: /the firewall is set/},
		},
	],
};
