// maas-firewall as data: tcp/4443 and sshd accepted from the MaaS (sshd also from loopback and adminSources) and
// dropped for the rest, tested, saved, never duplicated; a run that would cut its own session is refused first.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {absent, answers, boundHypervisors, offline, scriptOf, secrets} from './fixtures.js';

const tools = '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n';
const tools6 = '/usr/sbin/ip6tables\n/usr/sbin/ip6tables-restore\n';
const empty = {
	iptables: tools,
	chain: absent,
	input: '-P INPUT ACCEPT\n',
	ufw: '',
	firewalld: absent,
	saved: null,
	boot: 'netfilter-persistent\n',
	client: '127.0.0.1\n',
};
const chain = [
	'-N WAYMARK-MAAS',
	'-A WAYMARK-MAAS -s 192.0.2.3/32 -p tcp -m tcp --dport 4443 -j ACCEPT',
	'-A WAYMARK-MAAS -p tcp -m tcp --dport 4443 -j DROP',
	'-A WAYMARK-MAAS -i lo -p tcp -m tcp --dport 22 -j ACCEPT',
	'-A WAYMARK-MAAS -s 192.0.2.3/32 -p tcp -m tcp --dport 22 -j ACCEPT',
	'-A WAYMARK-MAAS -p tcp -m tcp --dport 22 -j DROP',
];
const jump = '-A INPUT -p tcp -j WAYMARK-MAAS';
const chain6 = [
	'-N WAYMARK-MAAS',
	'-A WAYMARK-MAAS -p tcp -m tcp --dport 4443 -j DROP',
	'-A WAYMARK-MAAS -i lo -p tcp -m tcp --dport 22 -j ACCEPT',
	'-A WAYMARK-MAAS -p tcp -m tcp --dport 22 -j DROP',
];
const load6 = 'Replace chain WAYMARK-MAAS (tested first) and jump to it from INPUT, for IPv4 and IPv6';
const load = 'Replace chain WAYMARK-MAAS (tested first) and jump to it from INPUT';
const save = 'Save the rules for the next boot (/etc/iptables/rules.v4)';
const loaded = {chain: `${chain.join('\n')}\n`, input: `-P INPUT ACCEPT\n${jump}\n`, saved: `*filter\n${chain.slice(1).join('\n')}\n${jump}\nCOMMIT\n`};

export const maasFirewallCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'maas-firewall',
	answers,
	secrets,
	cases: [
		{
			name: 'a chain of its own accepts the MaaS and drops the rest, tested before it loads, jumped to once, saved',
			facts: empty,
			expected: [`command ${load}`, `command ${save}`],
			checks: {'maas-jump': 'fail'},
			after: loaded,
			also: plan => {
				const script = scriptOf(plan, load);
				assert.ok(script.includes(chain.slice(1).join('\n')), script);
				assert.match(script, /iptables-restore -w --noflush --test/);
				assert.match(script, /iptables -w -C INPUT -p tcp -j WAYMARK-MAAS 2>\/dev\/null \|\| iptables -w -I INPUT 1/);
				assert.match(scriptOf(plan, save), /netfilter-persistent save/);
			},
		},
		{name: 'loaded, jumped to and saved: nothing to do', facts: {...empty, ...loaded}, expected: 'noop', checks: {'maas-jump': 'pass'}},
		{
			// sshd listens on :: too: without the IPv6 chain the hypervisor's way in stays open to anyone over IPv6.
			name: 'a host with IPv6: the same ports closed over IPv6 but for loopback (the MaaS is IPv4), both families tested before either loads',
			facts: {...empty, ...loaded, ipv6: 'yes\n', ip6tables: tools6, chain6: absent, input6: '-P INPUT ACCEPT\n', saved6: null},
			expected: [`command ${load6}`, `command ${save}`],
			checks: {'maas-jump': 'pass', 'maas-jump-ipv6': 'fail'},
			after: {chain6: `${chain6.join('\n')}\n`, input6: `-P INPUT ACCEPT\n${jump}\n`, saved6: `*filter\n${chain6.slice(1).join('\n')}\n${jump}\nCOMMIT\n`},
			also: plan => {
				const script = scriptOf(plan, load6).split('\n');
				const tests = script.findLastIndex(line => line.endsWith('--noflush --test'));
				const loads = script.findIndex(line => / iptables-restore -w --noflush$| ip6tables-restore -w --noflush$/.test(line));
				assert.ok(tests < loads, 'both tests come before the first load');
				assert.ok(
					plan.notes.some(note => note.startsWith('IPv6 (ip6tables)') && note.includes(chain6.slice(1).join('\n'))),
					plan.notes.join('\n'),
				);
			},
		},
		{
			name: 'both families loaded, jumped to and saved: nothing to do, and both jumps pass',
			facts: {
				...empty,
				...loaded,
				ipv6: 'yes\n',
				ip6tables: tools6,
				chain6: `${chain6.join('\n')}\n`,
				input6: `-P INPUT ACCEPT\n${jump}\n`,
				saved6: `*filter\n${chain6.slice(1).join('\n')}\n${jump}\nCOMMIT\n`,
			},
			expected: 'noop',
			checks: {'maas-jump': 'pass', 'maas-jump-ipv6': 'pass'},
		},
		{
			name: 'this run comes over IPv6, which the chain would drop on sshd: refused before anything changes',
			facts: {...empty, ipv6: 'yes\n', ip6tables: tools6, client: '2001:db8::7\n'},
			expected: {throws: /over IPv6 \(from 2001:db8::7\), where the rule drops sshd \(tcp\/22\) for everyone but loopback/},
		},
		{
			name: 'IPv6 without ip6tables: the IPv4 chain loads, and the plan says the ports stay open over IPv6',
			facts: {...empty, ipv6: 'yes\n', ip6tables: absent},
			expected: [`command ${load}`, `command ${save}`],
			notes: [/has IPv6 but no ip6tables: these ports stay open over IPv6/],
		},
		{
			name: 'IPv6 over loopback (a ProxyCommand on the host) is kept',
			facts: {...empty, ipv6: 'yes\n', ip6tables: tools6, client: '::1\n', chain6: absent, input6: '-P INPUT ACCEPT\n', saved6: null},
			expected: [`command ${load6}`, `command ${save}`],
		},
		{
			name: 'loaded but not saved: only saved',
			facts: {...empty, ...loaded, saved: null},
			expected: [`command ${save}`],
			after: {saved: loaded.saved},
		},
		{
			name: 'this run comes from an address the rule would drop on sshd: refused before anything changes, naming it and adminSources',
			facts: {...empty, client: '198.51.100.7\n'},
			expected: {throws: /This run reaches .* from 198\.51\.100\.7, which the rule would drop on the sshd port \(tcp\/22\)/},
		},
		{
			name: 'through sudo the session address is unknown: refused unless adminSources names where the operator comes from',
			facts: {...empty, client: '\n'},
			expected: {throws: /Cannot tell which address this run reaches .* from \(sudo resets SSH_CONNECTION\)/},
		},
		{
			name: 'an LXC move is asked for: the plan says to list the source hypervisor, whose ssh the chain would drop',
			answers: {lxcContainer: 'web1', lxcFrom: 'hv1', lxcTo: 'root@hv2'},
			facts: empty,
			expected: [`command ${load}`, `command ${save}`],
			notes: [/Moving web1 ssh's from hv1 to root@hv2: add the source hypervisor's address to adminSources/],
		},
		{
			name: 'the operator’s address listed in adminSources: kept open on sshd, after the MaaS',
			answers: {adminSources: ['198.51.100.7']},
			facts: {...empty, client: '198.51.100.7\n'},
			expected: [`command ${load}`, `command ${save}`],
			also: plan =>
				assert.match(
					scriptOf(plan, load),
					/-A WAYMARK-MAAS -s 192\.0\.2\.3\/32 -p tcp -m tcp --dport 22 -j ACCEPT\n-A WAYMARK-MAAS -s 198\.51\.100\.7\/32 -p tcp -m tcp --dport 22 -j ACCEPT\n/,
				),
		},
		{
			name: 'ufw owns the firewall: refused, with the ufw commands instead',
			facts: {...empty, ufw: 'Status: active\n'},
			expected: {throws: /ufw manages this firewall/},
		},
		{
			name: 'no iptables: refused with the install command',
			facts: {...empty, iptables: absent},
			expected: {throws: /iptables is not installed on /},
		},
		{
			name: 'an offline image waits for the live host',
			target: offline,
			facts: {iptables: {unavailable: true}},
			expected: {unmet: 'deferred', reason: /the firewall is set/},
		},
	],
};
