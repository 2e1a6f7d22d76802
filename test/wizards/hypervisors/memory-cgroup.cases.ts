// memory-cgroup as data: cgroup_enable=memory only where /proc/cgroups says memory is off; a container's kernel is
// the outer machine's.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {fixture} from '../../edits/fixture.js';
import {answers, boundHypervisors, fileAt, offline, secrets} from './fixtures.js';

const dropIn = '/etc/default/grub.d/99-waymark-hypervisors.cfg';
export const cgroupsOff = '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t2\t1\t1\nmemory\t0\t1\t0\n';
const jessie = {kernel: '3.16.0-4-amd64', container: 'none', systemd: 'yes', cgroups: cgroupsOff, grub: fixture('grub/debian-12-default-grub'), dropin: null};

export const memoryCgroupCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'memory-cgroup',
	answers,
	secrets,
	cases: [
		{
			name: 'memory off: the word goes into a grub.d drop-in, then update-grub; converges',
			facts: jessie,
			expected: [`file ${dropIn}`, 'command Regenerate the GRUB menu'],
			notes: [/next boot/],
			also: plan => assert.match(fileAt(plan, dropIn).after, /^GRUB_CMDLINE_LINUX="\$GRUB_CMDLINE_LINUX cgroup_enable=memory swapaccount=1"$/m),
		},
		{
			name: 'a current kernel has the memory controller on: nothing added',
			facts: {...jessie, kernel: '6.1.0-28-amd64', cgroups: cgroupsOff.replace('memory\t0\t1\t0', 'memory\t0\t80\t1')},
			expected: 'noop',
			notes: [/The memory controller is on/],
		},
		{
			name: 'no /proc/cgroups: nothing added',
			facts: {...jessie, cgroups: {text: '', exitCode: 1}},
			expected: 'noop',
			notes: [/No \/proc\/cgroups/],
		},
		{
			name: 'memory off without /etc/default/grub: said, not guessed',
			facts: {...jessie, grub: null},
			expected: 'noop',
			notes: [/no \/etc\/default\/grub/],
		},
		{
			name: "in a container the memory controller is the outer machine's: skipped with the reason, never a silent ok",
			facts: {...jessie, container: 'systemd-nspawn'},
			expected: {unmet: 'skipped', reason: /container \(systemd-nspawn\).*machine that runs it/},
		},
		{
			name: 'an offline image waits for the live host to read /proc/cgroups',
			target: offline,
			facts: {
				kernel: {unavailable: true},
				container: {unavailable: true},
				systemd: {unavailable: true},
				cgroups: {unavailable: true},
				grub: null,
				dropin: null,
			},
			expected: {unmet: 'deferred', reason: /\/proc\/cgroups/},
		},
	],
};
