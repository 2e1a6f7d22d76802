// The guide's fstab cgroup line, replaced: systemd owns /sys/fs/cgroup, limits belong in unit properties.
import {commentOutCgroupLines} from '../../source/edits/fstab.js';
import {cmdlineTxtAdd} from '../../source/edits/kernel-cmdline.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, FileAction, Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {hostPlatform, inContainer, platformFactDefs} from '../../source/facts/platform.js';
import {fileChange, noop, plan} from './plan-helpers.js';

export function cgroupsStep(options: {role: string}): Step {
	return defineStep({
		id: 'cgroups',
		title: 'cgroups without an fstab line',
		why: 'The guide mounts cgroup v1 controllers from /etc/fstab. systemd skips that line at boot, `mount -a` fails on it, and current distributions use the unified cgroup v2 hierarchy with the memory controller on. So no fstab line is added (an existing one is commented out), and only a Raspberry Pi kernel, which disables memcg by default, gets cgroup_enable=memory.',
		role: options.role,
		facts: () => ({
			...platformFactDefs(),
			fstab: fileText('/etc/fstab'),
			// cgroup2fs on the unified hierarchy, tmpfs on v1/hybrid; undefined on an offline target.
			fs: commandOutput('stat -fc %T /sys/fs/cgroup'),
			controllers: fileText('/sys/fs/cgroup/cgroup.controllers'),
			'pi-cmdline': fileText('/boot/firmware/cmdline.txt'),
		}),
		plan(_ctx, facts) {
			const {fstab, fs} = facts;
			const controllers = (facts.controllers ?? '').split(/\s+/);
			const notes: string[] = [];
			const edited = fstab === null ? undefined : commentOutCgroupLines(fstab);
			if (edited?.changed) {
				notes.push('An fstab cgroup line would be skipped by systemd and break `mount -a`: it is commented out.');
			}

			const piCmdline = facts['pi-cmdline'];
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
		ansible: () => ({
			tasks: [
				{
					// An fstab line that mounts cgroups (by type, or at /sys/fs/cgroup) is commented out with the step's marker.
					name: 'No fstab line mounts cgroups (systemd mounts /sys/fs/cgroup itself)',
					'ansible.builtin.replace': {
						path: '/etc/fstab',
						regexp: '^(?![ \\t]*#)([ \\t]*\\S+[ \\t]+(?:\\S+[ \\t]+cgroup2?|/sys/fs/cgroup(?:/\\S*)?[ \\t]+\\S+)(?:[ \\t].*?)?)[ \\t]*$',
						replace: '#\\1  # waymark: disabled, systemd mounts /sys/fs/cgroup itself',
						validate: 'findmnt --verify --tab-file %s',
						backup: true,
					},
				},
			],
			gaps: ["a Raspberry Pi kernel's cgroup_enable=memory in /boot/firmware/cmdline.txt is not added (Waymark adds it)"],
		}),
		verify(_ctx, facts): Check[] {
			const fs = facts.fs;
			// In a container the hierarchy belongs to the machine that runs it.
			if (fs === undefined || inContainer(hostPlatform(facts))) {
				return [];
			}

			const controllers = (facts.controllers ?? '').trim();
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
	});
}
