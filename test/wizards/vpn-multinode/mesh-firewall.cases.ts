// mesh-firewall as data: the mesh port from the other hosts' public addresses only, in a chain of its own; its
// checks are the guide's "all machines can ping each other" and a WireGuard handshake with each peer.
import assert from 'node:assert/strict';
import {summary} from '../step-harness.js';
import {controllerTarget, guideAnswers, nodeTargets} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

const empty = {
	iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
	chain: {text: '', exitCode: 1},
	input: '-P INPUT ACCEPT\n',
	ufw: '',
	firewalld: {text: '', exitCode: 1},
	saved: null,
};
const chain = [
	'-N WAYMARK-MESH',
	'-A WAYMARK-MESH -s 192.0.2.55/32 -p udp -m udp --dport 7000 -j ACCEPT',
	'-A WAYMARK-MESH -s 192.0.2.66/32 -p udp -m udp --dport 7000 -j ACCEPT',
	'-A WAYMARK-MESH -p udp -m udp --dport 7000 -j DROP',
];
const jump = '-A INPUT -p udp -m udp --dport 7000 -j WAYMARK-MESH';
const done = {
	...empty,
	chain: `${chain.join('\n')}\n`,
	input: `-P INPUT ACCEPT\n${jump}\n`,
	saved: `*filter\n${chain.slice(1).join('\n')}\n${jump}\nCOMMIT\n`,
};
const reached = '1 packets transmitted, 1 received, 0% packet loss, time 0ms\n';
const load = 'command Replace chain WAYMARK-MESH (tested first) and jump to it from INPUT';
const save = 'command Save the rules for the next boot (/etc/iptables/rules.v4)';

export const meshFirewallCases: MeshTable = {
	wizard: bound(),
	step: 'mesh-firewall-controller',
	answers: guideAnswers,
	target: controllerTarget,
	cases: [
		{
			name: "no chain yet: the peers' public addresses may send to the mesh port, nobody else; tested, then saved",
			facts: empty,
			expected: [load, save],
			after: {chain: done.chain, input: done.input, saved: done.saved},
			also(plan) {
				const [[, loadScript] = ['', ''], [, saveScript] = ['', '']] = summary(plan);
				assert.match(loadScript, /iptables-restore -w --noflush --test/);
				assert.match(loadScript, /-A WAYMARK-MESH -s 192\.0\.2\.55\/32 -p udp -m udp --dport 7000 -j ACCEPT/);
				assert.match(loadScript, /-A WAYMARK-MESH -s 192\.0\.2\.66\/32 -p udp -m udp --dport 7000 -j ACCEPT/);
				assert.match(loadScript, /-A WAYMARK-MESH -p udp -m udp --dport 7000 -j DROP/);
				assert.match(loadScript, /iptables -w -C INPUT -p udp --dport 7000 -j WAYMARK-MESH 2>\/dev\/null \|\| iptables -w -I INPUT 1/);
				assert.match(saveScript, /netfilter-persistent save/);
			},
		},
		{
			name: 'chain, jump and saved copy as wanted: nothing to do',
			facts: done,
			expected: 'noop',
			notes: [/udp\/7000 is open to 2 mesh host\(s\) only, and saved/],
		},
		{
			name: 'every peer pinged across the mesh and a WireGuard handshake with each: one silent peer fails',
			facts: {
				...done,
				'ping:10.42.42.2': reached,
				'ping:10.42.42.3': {text: '40 packets transmitted, 0 received, 100% packet loss, time 7992ms\n', exitCode: 1},
				'wg-dump': 'KEY1=\t(none)\t192.0.2.55:7000\t10.42.42.2/32\t1700000000\t100\t100\toff\nKEY2=\t(none)\t192.0.2.66:7000\t10.42.42.3/32\t0\t0\t100\toff\n',
			},
			expected: 'noop',
			checks: {'mesh-jump': 'pass', 'mesh-ping-europe.vpn.example': 'pass', 'mesh-ping-asia.vpn.example': 'fail', 'mesh-port-reachable': 'fail'},
			judged: {kind: 'failed', message: /no handshake with asia\.vpn\.example \(192\.0\.2\.66:7000\)/},
		},
		{
			name: 'every peer answers and shakes hands: ok',
			facts: {
				...done,
				'ping:10.42.42.2': reached,
				'ping:10.42.42.3': reached,
				'wg-dump':
					'KEY1=\t(none)\t192.0.2.55:7000\t10.42.42.2/32\t1700000000\t100\t100\toff\nKEY2=\t(none)\t192.0.2.66:7000\t10.42.42.3/32\t1700000001\t9\t9\toff\n',
			},
			expected: 'noop',
			checks: {'mesh-ping-europe.vpn.example': 'pass', 'mesh-ping-asia.vpn.example': 'pass', 'mesh-port-reachable': 'pass'},
			judged: {kind: 'ok'},
		},
		{
			name: 'no ping on the host: the check says what to install',
			facts: {...done, 'ping:10.42.42.2': {text: '', exitCode: 127}, 'ping:10.42.42.3': reached},
			expected: 'noop',
			checks: {'mesh-ping-europe.vpn.example': 'fail'},
			judged: {kind: 'failed', message: /ping exit 127 \(no ping here: install iputils-ping\)/},
		},
		{
			name: 'the jump from INPUT missing: the chain is loaded again and the check fails',
			facts: {...done, input: '-P INPUT ACCEPT\n'},
			expected: [load, save],
			checks: {'mesh-jump': 'fail'},
			after: {input: done.input},
		},
		{
			name: 'ufw manages the firewall: the ufw commands for each peer instead',
			facts: {...empty, ufw: 'Status: active\n'},
			expected: {throws: /ufw manages this firewall/},
			judged: {kind: 'failed', remedy: /ufw allow proto udp from 192\.0\.2\.55 to any port 7000; ufw allow proto udp from 192\.0\.2\.66/},
		},
	],
};

// One node bound where nodeNames lists two: its facts are still read (they must not throw), the plan names the fix.
export const meshFirewallMisboundCases: MeshTable = {
	wizard: bound({controller: [controllerTarget], node: nodeTargets.slice(0, 1)}),
	step: 'mesh-firewall-controller',
	answers: guideAnswers,
	target: controllerTarget,
	cases: [
		{
			name: 'nodes bound in a different number than nodeNames',
			facts: empty,
			expected: {throws: /nodeNames lists 2 node\(s\) \(europe, asia\), but 1 target\(s\)/},
			judged: {kind: 'failed', remedy: /--target node=/},
		},
	],
};

export const meshFirewallOfflineCases: MeshTable = {
	wizard: bound(offlineBindings),
	step: 'mesh-firewall-node',
	answers: guideAnswers,
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image: the firewall waits for the live host',
			facts: {iptables: {unavailable: true}, input: {unavailable: true}, 'ping:10.42.42.1': {unavailable: true}, 'wg-dump': {unavailable: true}},
			expected: {unmet: 'deferred', reason: /^Offline target: the firewall is set when/},
			judged: {kind: 'deferred'},
		},
	],
};
