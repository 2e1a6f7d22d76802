// The guide's quota options in fstab, chosen for the filesystem at hand and proven by a real remount.
import {parseFstab, setMountOptions} from '../../source/edits/fstab.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {StepFailure} from '../../source/engine/errors.js';
import {commandAnswer, commandOutput, programPath} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {fileChange, noop, plan, untilLive, waitsFor} from '../common/plan-helpers.js';

export const legacyQuotaOptions = ['usrjquota=aquota.user', 'jqfmt=vfsv1'];
export const featureQuotaOptions = ['usrquota', 'grpquota'];

/** Where a quotaon that the kernel refused leaves the kernel release, so later reads (check included) know without trying. */
export const quotaRefusedMarker = '/var/lib/waymark/quota-format-unsupported';

/**
 * Whether this kernel can keep quotas: no /proc/sys/fs/quota means no CONFIG_QUOTA at all; a marker naming the running
 * kernel means quotaon already said "Quota format not supported in kernel" on it. A new kernel is tried again.
 */
export const kernelQuotaProbe = `if [ ! -d /proc/sys/fs/quota ]; then echo 'no: this kernel has no quota support (no /proc/sys/fs/quota)'; elif [ "$(cat ${quotaRefusedMarker} 2>/dev/null)" = "$(uname -r)" ]; then echo "no: quotaon on kernel $(uname -r) said: Quota format not supported in kernel"; else echo yes; fi`;

/** Runs quotaon; when the kernel lacks the quota format, records that (for the next read) instead of failing the run. */
export function quotaOnScript(prefix: string, mountpoint: string): string {
	return [
		prefix,
		`out=$(quotaon ${quote(mountpoint)} 2>&1); rc=$?`,
		'[ -z "$out" ] || printf \'%s\\n\' "$out"',
		`case "$out" in *'not supported in kernel'*) mkdir -p ${quote(quotaRefusedMarker.replace(/\/[^/]+$/, ''))} && uname -r > ${quote(quotaRefusedMarker)}; exit 0;; esac`,
		'exit $rc',
	]
		.filter(Boolean)
		.join('\n');
}

export function fstabQuotaStep(options: {role: string; mountParam: string}): Step {
	return defineStep({
		id: 'fstab-quota',
		title: 'User quotas on the containers filesystem',
		why: 'Each container home needs per-uid disk quotas. The guide adds usrjquota=aquota.user,jqfmt=vfsv1 to the filesystem in /etc/fstab. On ext4 with the quota feature those options are ignored and usrquota,grpquota are used instead; XFS takes usrquota at mount time. The change is proven by `mount -o remount`, which rejects a bad option and keeps the old mount, and the old fstab comes back if it fails.',
		role: options.role,
		params: [options.mountParam],
		risk: 'data',
		facts(ctx) {
			const mount = quote(answerText(ctx.answers, options.mountParam));
			return {
				fstab: fileText('/etc/fstab'),
				// `FSTYPE SOURCE`; null when nothing is mounted there, undefined on an offline target.
				mount: commandAnswer(`findmnt -no FSTYPE,SOURCE -M ${mount}`),
				features: commandOutput(`dumpe2fs -h "$(findmnt -no SOURCE -M ${mount})" 2>/dev/null | grep -i '^filesystem features'`),
				quotatools: commandOutput('command -v quotacheck && command -v quotaon'),
				// quotaon -p exits with the number of quotas that are on, so its status says nothing about a failure.
				quotaon: commandOutput(`quotaon -pu ${mount} 2>&1; true`),
				dumpe2fs: programPath('dumpe2fs'),
				kernel: commandOutput(kernelQuotaProbe),
			};
		},
		plan(ctx, facts) {
			const mountpoint = answerText(ctx.answers, options.mountParam);
			if (facts.mount === undefined) {
				return untilLive(`the filesystem at ${mountpoint} is read and its quota options set`);
			}

			const mounted = facts.mount ?? undefined;
			const [fstype = '', source = ''] = (mounted ?? '').split(/\s+/);
			const fstab = facts.fstab ?? '';
			const entry = parseFstab(fstab).find(line => line.target === mountpoint);

			if (mounted === undefined && fstype === '') {
				return noop(`${mountpoint} is not a mount point here: nothing to do.`);
			}

			if (fstype !== 'ext4' && fstype !== 'ext3' && fstype !== 'xfs') {
				return noop(`${mountpoint} is ${fstype || 'unknown'} (${source}): it has no uid quota support, so the guide's options are left out.`);
			}

			if (!entry) {
				return noop(`${mountpoint} has no line in /etc/fstab (it is mounted by something else): add quota options where it is mounted.`);
			}

			if (fstype !== 'xfs' && facts.dumpe2fs === undefined && ctx.target.kind !== 'root') {
				throw new StepFailure(
					`dumpe2fs is missing on ${ctx.target.label}, so there is no telling whether ${source} has the ext4 quota feature, which decides the fstab options.`,
					'Install e2fsprogs (add it to the packages answer, or `apt-get install e2fsprogs`), then retry the step.',
				);
			}

			const hasFeature = /\bquota\b/.test(facts.features ?? '');
			const wanted = fstype === 'xfs' ? ['usrquota'] : hasFeature ? featureQuotaOptions : legacyQuotaOptions;
			const notes = [
				fstype === 'xfs'
					? mountpoint === '/'
						? 'XFS root: usrquota in fstab is not enough, the kernel also needs rootflags=uquota on its command line.'
						: 'XFS: usrquota at mount time; quotacheck is not needed.'
					: hasFeature
						? 'ext4 with the quota feature: usrquota,grpquota (the journaled-file options would be ignored).'
						: "ext4 without the quota feature: the guide's journaled quota files. For the modern way, run `tune2fs -O quota` while it is unmounted (rescue system for /).",
			];
			const edited = setMountOptions(fstab, {mountpoint, add: wanted});
			const change = fileChange('/etc/fstab', fstab, edited.text, {
				validateCandidate: 'findmnt --verify --tab-file {}',
				// The real test: the kernel rejects an unknown option with EINVAL and keeps the old mount.
				validateInPlace: `mount -o remount ${quote(mountpoint)}`,
			});
			const tools = facts.quotatools !== undefined;
			const on = /\bis on\b/.test(facts.quotaon ?? '');
			const kernel = facts.kernel ?? 'yes';
			const kernelCan = !kernel.startsWith('no');
			const start =
				fstype !== 'xfs' &&
				!on &&
				kernelCan &&
				(tools
					? hasFeature
						? // With the ext4 quota feature the kernel keeps the accounting; quotacheck would refuse on a live quota.
							({kind: 'command', title: 'Switch quotas on', script: quotaOnScript('', mountpoint)} as const)
						: ({
								kind: 'command',
								title: 'Build the quota files and switch quotas on',
								script: quotaOnScript(`quotacheck -cugm ${quote(mountpoint)} || exit $?`, mountpoint),
							} as const)
					: undefined);
			if (!tools && fstype !== 'xfs') {
				notes.push('quotacheck/quotaon are missing: the packages step installs `quota`; run the wizard again afterwards.');
			}

			const planned = plan([change, start], notes);
			if (fstype !== 'xfs' && !on && !kernelCan) {
				return waitsFor(
					planned,
					`The fstab options are in place, but quotas cannot be switched on: ${kernel.replace(/^no: /, '')}. That is the kernel's, not this host's configuration.`,
					"Boot a kernel with quota support (CONFIG_QUOTA and CONFIG_QFMT_V2, e.g. Debian's linux-image-amd64), then run the wizard again (--only fstab-quota runs just this step).",
				);
			}

			return planned;
		},
		ansible(ctx) {
			const mountpoint = answerText(ctx.answers, options.mountParam);
			const run = 'waymark run uwsgi-node --only fstab-quota';
			return {
				tasks: [
					{
						name: `What ${mountpoint} is: its filesystem, and whether /etc/fstab has a line for it`,
						'ansible.builtin.command': {
							argv: [
								'/bin/sh',
								'-c',
								`t=$(findmnt -no FSTYPE -M ${quote(mountpoint)} 2>/dev/null); awk -v m=${quote(mountpoint)} '$1 !~ /^#/ && $2 == m { f = 1 } END { exit !f }' /etc/fstab 2>/dev/null && e=yes || e=no; echo "$t $e"`,
							],
						},
						register: 'waymark_quota_mount',
						changed_when: false,
						check_mode: false,
					},
					{
						// Said, not done: where Waymark edits fstab and proves it with a remount, the play does neither.
						name: `Not done here: quota options for ${mountpoint} (run it with Waymark)`,
						'ansible.builtin.debug': {
							msg: `${mountpoint} is {{ waymark_quota_mount.stdout.split() | first }} with a line in /etc/fstab: its quota options are chosen by its features and proven by a remount, which this play does not do. Run: ${run}`,
						},
						when: "waymark_quota_mount.stdout.split() | length == 2 and waymark_quota_mount.stdout.split() | first in ['ext3', 'ext4', 'xfs'] and waymark_quota_mount.stdout.split() | last == 'yes'",
					},
				],
				gaps: [
					`where ${mountpoint} is ext3, ext4 or XFS with a line in /etc/fstab, its quota options and quotaon are not done (the play says so; ${run}); elsewhere there is nothing to do, as for Waymark`,
				],
			};
		},
		verify(ctx, facts): Check[] {
			const mountpoint = answerText(ctx.answers, options.mountParam);
			const state = facts.quotaon;
			const fstype = (facts.mount ?? '').split(/\s+/)[0];
			// XFS reports quotas through xfs_quota, and other filesystems have none to report; a kernel without quota
			// support is said by the plan (deferred), not failed here.
			if (state === undefined || (fstype !== 'ext4' && fstype !== 'ext3') || (facts.kernel ?? 'yes').startsWith('no')) {
				return [];
			}

			return [
				{
					id: 'quota-on',
					title: `User quota on ${mountpoint}`,
					status: /\bis on\b/.test(state) ? 'pass' : 'warn',
					evidence: `quotaon -pu ${mountpoint}: ${state}`,
					reason: 'Quotas limit what each container may store.',
				},
			];
		},
	});
}
