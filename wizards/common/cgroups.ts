// The guide's fstab cgroup line, replaced: systemd owns /sys/fs/cgroup, limits belong in unit properties.
import {commentOutCgroupLines} from '../../source/edits/fstab.js';
import {cmdlineTxtAdd} from '../../source/edits/kernel-cmdline.js';
import type {Check, FileAction, Step} from '../../source/engine/types.js';
import {fileChange, fileText, noop, output, plan} from './plan-helpers.js';
import {inContainer, platform, platformFacts} from './platform.js';

export function cgroupsStep(options: {role: string}): Step {
	return {
		id: 'cgroups',
		title: 'cgroups without an fstab line',
		why: 'The guide mounts cgroup v1 controllers from /etc/fstab. systemd skips that line at boot, `mount -a` fails on it, and current distributions use the unified cgroup v2 hierarchy with the memory controller on. So no fstab line is added (an existing one is commented out), and only a Raspberry Pi kernel, which disables memcg by default, gets cgroup_enable=memory.',
		role: options.role,
		facts: () => [
			...platformFacts,
			{kind: 'file', key: 'fstab', path: '/etc/fstab'},
			{kind: 'command', key: 'fs', command: 'stat -fc %T /sys/fs/cgroup'},
			{kind: 'file', key: 'controllers', path: '/sys/fs/cgroup/cgroup.controllers'},
			{kind: 'file', key: 'pi-cmdline', path: '/boot/firmware/cmdline.txt'},
		],
		plan(_ctx, facts) {
			const fstab = fileText(facts, 'fstab');
			const fs = output(facts, 'fs');
			const controllers = (fileText(facts, 'controllers') ?? '').split(/\s+/);
			const notes: string[] = [];
			const edited = fstab === null ? undefined : commentOutCgroupLines(fstab);
			if (edited?.changed) {
				notes.push('An fstab cgroup line would be skipped by systemd and break `mount -a`: it is commented out.');
			}

			const piCmdline = fileText(facts, 'pi-cmdline');
			let pi: FileAction | undefined;
			if (piCmdline !== null && fs === 'cgroup2fs' && !controllers.includes('memory')) {
				const added = cmdlineTxtAdd(piCmdline, ['cgroup_enable=memory', 'cgroup_memory=1']);
				pi = fileChange('/boot/firmware/cmdline.txt', piCmdline, added.text);
				notes.push('This Raspberry Pi kernel has the memory controller off: it is enabled on the kernel command line (after a reboot).');
			}

			if (!edited?.changed && !pi) {
				return noop(
					fs === 'cgroup2fs'
						? 'cgroup v2 is mounted by systemd; put limits in units (`systemctl set-property UNIT MemoryMax=… CPUQuota=… IOWeight=…`).'
						: fs === 'tmpfs'
							? 'cgroup v1/hybrid is mounted by the init system; nothing belongs in fstab. cgroup v1 is obsolete: plan a move to v2.'
							: 'No fstab cgroup line; the init system mounts cgroups.',
				);
			}

			return plan([edited?.changed && fileChange('/etc/fstab', fstab, edited.text, {validateCandidate: 'findmnt --verify --tab-file {}'}), pi], notes);
		},
		verify(_ctx, facts): Check[] {
			const fs = output(facts, 'fs');
			// In a container the hierarchy belongs to the machine that runs it.
			if (fs === undefined || inContainer(platform(facts))) {
				return [];
			}

			const controllers = (fileText(facts, 'controllers') ?? '').trim();
			return [
				{
					id: 'cgroup-version',
					title: 'cgroup hierarchy',
					status: fs === 'cgroup2fs' ? 'pass' : 'warn',
					evidence: `stat -fc %T /sys/fs/cgroup: ${fs}${controllers ? `; controllers: ${controllers}` : ''}`,
					reason: fs === 'cgroup2fs' ? 'The unified hierarchy is in use.' : 'cgroup v1 is obsolete; systemd 256 refuses to boot on it without an override.',
				},
			];
		},
	};
}
