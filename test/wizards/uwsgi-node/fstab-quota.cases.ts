// fstab-quota as data: legacy options without the ext4 quota feature, usrquota,grpquota with it, nothing on a
// filesystem without uid quotas; a kernel that refused the quota format makes the step wait.
import assert from 'node:assert/strict';
import {setMountOptions} from '../../../source/edits/fstab.js';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {legacyQuotaOptions} from '../../../wizards/uwsgi-node/fstab-quota.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary, type FactValues} from '../step-harness.js';
import {checksOf} from '../common/probe.js';
import {nodeAnswers} from './answers.js';

// The guide's fstab without its quota options: what the step starts from on the guide's server.
const fstab = fixture('fstab/uwsgi-it-guide-fstab')
	.replace(/usrjquota=aquota\.user,jqfmt=vfsv1/g, 'defaults')
	.replace(/defaults,defaults/g, 'defaults');
const noFeature =
	'Filesystem features:      has_journal ext_attr resize_inode dir_index filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize metadata_csum\n';
export const quotaHost: FactValues = {
	fstab,
	mount: 'ext4 /dev/md2\n',
	features: noFeature,
	quotatools: '/usr/sbin/quotacheck\n/usr/sbin/quotaon\n',
	quotaon: {text: 'user quota on / (/dev/md2) is off\n', exitCode: 0},
	dumpe2fs: '/usr/sbin/dumpe2fs\n',
	kernel: 'yes\n',
};
const quotaOn = {quotaon: 'user quota on / (/dev/md2) is on\n'};
/** The fstab once the legacy options are in. */
const applied = {...quotaHost, fstab: setMountOptions(fstab, {mountpoint: '/', add: legacyQuotaOptions}).text};

export const fstabQuotaCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'fstab-quota',
	answers: nodeAnswers,
	cases: [
		{
			name: "ext4 without the quota feature: the guide's journaled quota files, proven by a remount, then quotacheck and quotaon",
			facts: quotaHost,
			expected: ['file /etc/fstab', 'command Build the quota files and switch quotas on'],
			notes: [/ext4 without the quota feature/],
			checks: {'quota-on': 'warn'},
			after: quotaOn,
			also: plan => {
				const file = plan.actions[0];
				assert.ok(file?.kind === 'file');
				assert.match(file.after, /usrjquota=aquota\.user,jqfmt=vfsv1/);
				assert.equal(file.validateInPlace, 'mount -o remount /');
				assert.equal(file.validateCandidate, 'findmnt --verify --tab-file {}');
				assert.match(summary(plan)[1]?.[1] ?? '', /^quotacheck -cugm \/ \|\| exit \$\?\nout=\$\(quotaon \/ 2>&1\)/);
			},
		},
		{
			name: 'ext4 with the quota feature: usrquota,grpquota, and quotaon alone (the kernel keeps the accounting)',
			facts: {...quotaHost, features: `${noFeature.trimEnd()} quota\n`},
			expected: ['file /etc/fstab', 'command Switch quotas on'],
			notes: [/usrquota,grpquota/],
			after: quotaOn,
			also: plan => assert.ok(plan.actions[0]?.kind === 'file' && /usrquota,grpquota/.test(plan.actions[0].after)),
		},
		{name: 'overlay has no uid quotas: nothing', facts: {...quotaHost, mount: 'overlay overlay\n'}, expected: 'noop', notes: [/no uid quota support/]},
		{name: 'options in and quotas on: nothing', facts: {...applied, ...quotaOn}, expected: 'noop', checks: {'quota-on': 'pass'}},
		{
			name: 'a kernel that refused the quota format: the fstab edit stays, quotaon is not tried again, the step waits',
			facts: {...applied, kernel: 'no: quotaon on kernel 6.12.0 said: Quota format not supported in kernel\n'},
			expected: {unmet: 'deferred', reason: /Quota format not supported in kernel/},
		},
		{
			name: 'a kernel without quota support: no quota check to fail (the plan says it)',
			facts: {...applied, kernel: 'no: this kernel has no quota support\n'},
			expected: {unmet: 'deferred', reason: /no quota support/},
			also: () => assert.deepEqual(checksOf(uwsgiNode, 'fstab-quota', nodeAnswers, {...applied, kernel: 'no: this kernel has no quota support\n'}), []),
		},
		{
			name: 'a minimal image without e2fsprogs: said, not guessed',
			facts: {...quotaHost, dumpe2fs: {text: '', exitCode: 1}},
			expected: {throws: /dumpe2fs is missing/},
		},
		{name: 'not a mount point: nothing', facts: {...quotaHost, mount: {text: '', exitCode: 1}}, expected: 'noop', notes: [/is not a mount point/]},
		{
			name: 'an offline image cannot tell its filesystem: it waits for the live host',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {fstab, mount: {unavailable: true}},
			expected: {unmet: 'deferred', reason: /quota options set/},
		},
	],
};
