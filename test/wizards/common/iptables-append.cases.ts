// iptables-append as data: each rule added once (`-C` first), then saved where something loads it at boot.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import type {CaseTable} from '../cases.js';
import {summary, type FactValues} from '../step-harness.js';
import {sharedSteps} from './shared-steps.js';

const add = 'command iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE (unless present)';
const save = 'command Save the rules for the next boot (/etc/iptables/rules.v4)';
const saved = '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth1 -j MASQUERADE\nCOMMIT\n';
const fresh: FactValues = {
	iptables: {text: '', exitCode: 1},
	saved: null,
	boot: 'none\n',
	ufw: {text: '', exitCode: 1},
	firewalld: {text: '', exitCode: 1},
	rule0: {text: '', exitCode: 127},
};
const present: FactValues = {...fresh, iptables: '/usr/sbin/iptables\n', rule0: {text: '', exitCode: 1}};
const done: FactValues = {...present, rule0: 'present\n', saved, boot: 'waymark\n'};

export const iptablesAppendCases: CaseTable = {
	wizard: sharedSteps,
	step: 'nat',
	answers: {},
	cases: [
		{
			// A dry run reads the host before the install step has run.
			name: 'iptables not installed yet: the rules are planned, and stop with the remedy if it stays missing',
			facts: fresh,
			expected: ['command iptables: iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE', save],
			notes: [/iptables is not installed on ssh:node1 yet/],
			after: done,
			also: plan => {
				// Still missing when the command runs: it stops, with the remedy, before touching anything.
				const result = spawnSync('/bin/sh', ['-c', summary(plan)[0]![1]], {encoding: 'utf8', env: {PATH: '/nonexistent'}});
				assert.equal(result.status, 1);
				assert.match(result.stderr, /iptables is not installed: install it \(apt-get install iptables\)/);
			},
		},
		{name: 'missing rule: added unless present, then saved', facts: present, expected: [add, save], after: done},
		{name: 'in place but not saved: only the save', facts: {...present, rule0: 'present\n'}, expected: [save], after: done},
		{name: 'saved but nothing loads it at boot: saved again, which installs the boot unit', facts: {...done, boot: 'none\n'}, expected: [save], after: done},
		{name: 'in place, saved, loaded at boot: nothing', facts: done, expected: 'noop', notes: [/All 1 rule\(s\) are in place and saved/]},
		{name: 'netfilter-persistent loads it: nothing', facts: {...done, boot: 'netfilter-persistent\n'}, expected: 'noop'},
		{name: 'beside an active ufw it refuses', facts: {...present, ufw: 'Status: active\n'}, expected: {throws: /ufw manages this firewall/}},
		{
			name: 'an offline image cannot be asked: it waits for the live host, naming the rules',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {iptables: {unavailable: true}, saved: null},
			expected: {unmet: 'deferred', reason: /iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE/},
		},
	],
};
