// sudo as data: membership added only when missing, NOPASSWD only on request (checked by visudo) and taken away
// again when turned off; `sudo -n true` as the user decides the check.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {absent, answers, boundHypervisors, fileAt, offline, scriptOf, secrets} from './fixtures.js';

const dropIn = '/etc/sudoers.d/waymark-spike';
const needsPassword = {text: 'sudo: a password is required\n', exitCode: 1};
const present = {sudo: '/usr/bin/sudo\n', groups: 'spike\n', dropin: null, probe: needsPassword};

export const sudoCases: CaseTable[] = ['webserver', 'dbserver', 'hypervisor'].map(
	(role): CaseTable => ({
		wizard: boundHypervisors,
		step: `sudo-${role}`,
		answers,
		secrets,
		cases: [
			{
				name: 'group membership added with usermod; sudo asking for a password is a warning (use --become)',
				facts: present,
				expected: ['command Add spike to the sudo group'],
				checks: {'sudo-n-true': 'warn'},
				after: {groups: 'spike sudo\n'},
				also: plan => assert.equal(scriptOf(plan, 'Add spike to the sudo group'), 'usermod -aG sudo spike'),
			},
			{
				name: 'NOPASSWD on request: a 0440 drop-in that visudo checks first',
				answers: {sudoNopasswd: true},
				facts: {...present, groups: 'spike sudo\n'},
				expected: [`file ${dropIn}`],
				also: plan => {
					const file = fileAt(plan, dropIn);
					assert.ok(file.mode === 0o440 && file.validateCandidate === 'visudo -cf {}');
					assert.match(file.after, /^spike ALL=\(ALL:ALL\) NOPASSWD: ALL$/m);
				},
			},
			{
				name: 'sudo -n true passing is a pass',
				facts: {...present, groups: 'spike sudo\n', probe: 'sudo-ok\n'},
				expected: 'noop',
				notes: [/spike is in the sudo group/],
				checks: {'sudo-n-true': 'pass'},
			},
			{
				name: 'NOPASSWD turned off takes the drop-in away again',
				facts: {...present, groups: 'spike sudo\n', dropin: 'spike ALL=(ALL:ALL) NOPASSWD: ALL\n'},
				expected: [`command Remove ${dropIn} (sudoNopasswd is off)`],
				after: {dropin: null},
			},
			{
				name: 'no sudo yet (Debian with a root password): installed, then the user added',
				facts: {...present, sudo: absent, probe: {text: 'sh: 1: sudo: not found\n', exitCode: 127}},
				expected: ['command apt-get install sudo', 'command Add spike to the sudo group'],
				after: {sudo: '/usr/bin/sudo\n', groups: 'spike sudo\n'},
			},
			{
				name: 'root needs no sudo',
				answers: {operatorUser: 'root'},
				facts: {...present, groups: 'root\n'},
				expected: 'noop',
				notes: [/The login user is root: sudo is not needed/],
			},
			{
				name: 'an offline image waits for the live host',
				target: offline,
				facts: {sudo: {unavailable: true}, groups: {unavailable: true}, dropin: null, probe: {unavailable: true}},
				expected: {unmet: 'deferred', reason: /sudo is set up/},
			},
		],
	}),
);
