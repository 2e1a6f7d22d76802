// cgroups as data (as the uwsgi-node guide uses it): the guide's fstab cgroup line is commented out, never added;
// only a Raspberry Pi kernel without memcg gets cgroup_enable=memory.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary} from '../step-harness.js';
import {modernHost, nodeAnswers} from '../uwsgi-node/answers.js';

const v2 = {...modernHost, fs: 'cgroup2fs\n', controllers: 'cpuset cpu io memory pids\n', 'pi-cmdline': null};

export const cgroupsCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'cgroups',
	answers: nodeAnswers,
	cases: [
		{
			name: "the guide's fstab line is commented out, never added",
			facts: {...v2, fstab: fixture('fstab/uwsgi-it-guide-fstab')},
			expected: ['file /etc/fstab'],
			notes: [/commented out/],
			checks: {'cgroup-version': 'pass'},
			also: plan => {
				const [edit] = summary(plan);
				assert.doesNotMatch(edit![1], /^none \/sys\/fs\/cgroup cgroup/m);
				assert.match(edit![1], /^#.*none \/sys\/fs\/cgroup cgroup/m);
				const action = plan.actions[0];
				assert.ok(action?.kind === 'file');
				assert.equal(action.validateCandidate, 'findmnt --verify --tab-file {}');
			},
		},
		{
			name: "Debian 12's installer fstab on cgroup v2: nothing, limits belong in units",
			facts: {...v2, fstab: fixture('fstab/debian-12-installer-fstab'), controllers: 'cpu io memory pids\n'},
			expected: 'noop',
			notes: [/systemctl set-property/],
			checks: {'cgroup-version': 'pass'},
		},
		{
			name: 'a Raspberry Pi without memcg gets cgroup_enable=memory in cmdline.txt, which stays one line',
			facts: {...v2, fstab: '', controllers: 'cpuset cpu io pids\n', 'pi-cmdline': fixture('cmdline/raspios-bookworm-cmdline.txt')},
			expected: ['file /boot/firmware/cmdline.txt'],
			notes: [/Raspberry Pi kernel has the memory controller off/],
			also: plan => {
				const [edit] = summary(plan);
				assert.match(edit![1], /cgroup_enable=memory/);
				assert.equal(edit![1].trimEnd().split('\n').length, 1, 'cmdline.txt stays one line');
			},
		},
		{
			name: 'cgroup v1 (tmpfs): nothing in fstab, and the check warns that v1 is obsolete',
			facts: {...v2, fstab: fixture('fstab/debian-12-installer-fstab'), fs: 'tmpfs\n'},
			expected: 'noop',
			notes: [/cgroup v1 is obsolete/],
			checks: {'cgroup-version': 'warn'},
		},
	],
};
