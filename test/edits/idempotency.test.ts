// Every edit, on every real fixture of its format: `changed` tells the truth, and a second run changes nothing.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EditResult} from '../../source/edits/edit-result.js';
import {EditError} from '../../source/edits/edit-result.js';
import {commentOutCgroupLines, findMount, parseFstab, setMountOptions} from '../../source/edits/fstab.js';
import {setIniValues} from '../../source/edits/ini.js';
import {cmdlineTxtAdd, grubDropIn} from '../../source/edits/kernel-cmdline.js';
import {setKeyValue} from '../../source/edits/key-value.js';
import {addNssModule} from '../../source/edits/nsswitch.js';
import {addPamLine} from '../../source/edits/pam.js';
import {disableDirectives, hasInclude, setDirectives} from '../../source/edits/sshd-config.js';
import {fixtures} from './fixture.js';

/** `/` where the file mounts it, else its first mount point with a filesystem that can hold quotas. */
function quotaMountOf(text: string): string {
	return findMount(text, '/') ? '/' : (parseFstab(text).find(entry => /^(ext[34]|xfs)$/.test(entry.fstype))?.target ?? '/');
}

const sshdSettings = {PasswordAuthentication: 'no', KbdInteractiveAuthentication: 'no', X11Forwarding: 'no', ClientAliveInterval: '30'};

const edits: Array<{folder: string; name: string; edit: (text: string) => EditResult}> = [
	// The first real mount of each file (/ where there is one); a file with none is the not-found case below.
	{
		folder: 'fstab',
		name: 'setMountOptions',
		edit: text => setMountOptions(text, {mountpoint: quotaMountOf(text), add: ['usrquota', 'grpquota'], remove: ['jqfmt']}),
	},
	{folder: 'fstab', name: 'commentOutCgroupLines', edit: commentOutCgroupLines},
	{
		folder: 'sshd',
		name: 'setDirectives or disableDirectives',
		edit: text => (hasInclude(text) ? disableDirectives(text, Object.keys(sshdSettings)) : setDirectives(text, sshdSettings)),
	},
	{folder: 'nsswitch', name: 'addNssModule', edit: text => addNssModule(text, {databases: ['passwd', 'group', 'shadow', 'initgroups'], module: 'unbit'})},
	{folder: 'pam', name: 'addPamLine', edit: text => addPamLine(text, {line: 'session required pam_unbit.so', after: {type: 'session', module: 'pam_env.so'}})},
	{
		folder: 'php',
		name: 'setIniValues',
		edit: text => setIniValues(text, 'PHP', {'cgi.fix_pathinfo': '0', post_max_size: '64M', 'waymark.example': 'x', extension: ['intl']}),
	},
	{folder: 'uwsgi', name: 'setIniValues', edit: text => setIniValues(text, 'uwsgi', {public_ip: '192.0.2.10', env: ['TZ=UTC'], master: 'true'})},
	{folder: 'sysctl', name: 'setKeyValue', edit: text => setKeyValue(text, 'net.ipv4.ip_forward', '1', {style: 'sysctl'})},
	{folder: 'default', name: 'setKeyValue', edit: text => setKeyValue(text, 'WAYMARK_OPTS', '--fast "x"', {style: 'shell'})},
	{folder: 'cmdline', name: 'cmdlineTxtAdd', edit: text => cmdlineTxtAdd(text, ['cgroup_enable=memory', 'quiet'])},
	{folder: 'grub', name: 'grubDropIn', edit: text => grubDropIn(text, {add: ['elevator=cfq']})},
];

for (const {folder, name, edit} of edits) {
	for (const [file, text] of fixtures(folder)) {
		test(`${name} on ${folder}/${file}: honest changed flag, idempotent`, () => {
			if (folder === 'fstab' && name === 'setMountOptions' && parseFstab(text).length === 0) {
				assert.throws(
					() => edit(text),
					(error: unknown) => error instanceof EditError && error.code === 'not-found',
				);
				return;
			}

			const first = edit(text);
			assert.equal(first.changed, first.text !== text);
			assert.deepEqual(edit(first.text), {text: first.text, changed: false});
			// Whatever the edit added, the end of the file keeps its final newline, or its absence.
			assert.equal(first.text.endsWith('\n'), text.endsWith('\n') || text === '');
		});
	}
}
