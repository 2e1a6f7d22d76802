// kernel-cmdline as data (as the uwsgi-node guide sets it): elevator= only on kernels before 5.0, nomodeset only
// when asked, in a GRUB drop-in; nothing in a container, and not GRUB's to set where there is no /etc/default/grub.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary, type FactValues} from '../step-harness.js';
import {modernHost, nodeAnswers} from '../uwsgi-node/answers.js';

const dropIn = 'file /etc/default/grub.d/99-waymark-uwsgi-node.cfg';
const regenerate = 'command Regenerate the GRUB menu';
const grub: FactValues = {
	grub: fixture('grub/ubuntu-13.10-default-grub'),
	dropin: null,
	cmdline: 'BOOT_IMAGE=/vmlinuz ro quiet\n',
	'update-grub': '/usr/sbin/update-grub\n',
	grubby: {text: '', exitCode: 1},
};
const ubuntu1310 = {kernel: '3.11.0-12-generic\n', container: 'none\n', systemd: 'no\n'};

export const kernelCmdlineCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'kernel-cmdline',
	answers: nodeAnswers,
	cases: [
		{
			name: 'kernel 3.11 still has cfq: elevator=cfq in the drop-in, then update-grub',
			facts: {...grub, ...ubuntu1310},
			expected: [dropIn, regenerate],
			notes: [/next boot/],
			also: plan => {
				const [file, command] = summary(plan);
				assert.match(file![1], /^GRUB_CMDLINE_LINUX="\$GRUB_CMDLINE_LINUX elevator=cfq"$/m);
				assert.deepEqual(command, [regenerate, 'update-grub']);
			},
		},
		{name: 'a modern kernel ignores elevator= and nomodeset was not asked for: nothing', facts: {...grub, ...modernHost}, expected: 'noop'},
		{
			name: 'nomodeset asked for: only that word',
			answers: {nomodeset: true},
			facts: {...grub, ...modernHost},
			expected: [dropIn, regenerate],
			also: plan => assert.match(summary(plan)[0]![1], /"\$GRUB_CMDLINE_LINUX nomodeset"/),
		},
		{
			name: 'a container has no kernel command line of its own',
			answers: {nomodeset: true},
			facts: {...grub, ...modernHost, container: 'lxc\n'},
			expected: {unmet: 'skipped', reason: /container \(lxc\)/},
		},
		{
			name: 'grub-mkconfig where there is no update-grub',
			answers: {nomodeset: true},
			facts: {...grub, ...modernHost, 'update-grub': '/usr/sbin/grub2-mkconfig\n'},
			expected: [dropIn, regenerate],
			also: plan => assert.equal(summary(plan)[1]![1], '/usr/sbin/grub2-mkconfig -o /boot/grub/grub.cfg'),
		},
		{
			name: 'no /etc/default/grub: not GRUB to set, and grubby is named where it is installed',
			answers: {nomodeset: true},
			facts: {...grub, ...modernHost, grub: null, grubby: '/usr/sbin/grubby\n'},
			expected: {unmet: 'skipped', reason: /No \/etc\/default\/grub/},
		},
	],
};
