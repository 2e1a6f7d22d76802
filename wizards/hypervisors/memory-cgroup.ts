// The guide's GRUB_CMDLINE_LINUX="cgroup_enable=memory", only on a kernel that booted with the memory controller off.
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {fileText} from '../../source/facts/files.js';
import {hostPlatform, inContainer, platformFactDefs} from '../../source/facts/platform.js';
import {fileChange, noop, notHere, plan, untilLive} from '../common/plan-helpers.js';
import {grubDropInAnsible, grubDropInPath, grubDropInText} from '../common/kernel-cmdline.js';
import {platformFacts} from '../common/ansible-tasks.js';

/** Whether /proc/cgroups (columns: name, hierarchy, cgroups, enabled) says memcg is on; undefined when unknown. */
export function memoryControllerOn(procCgroups: string | undefined): boolean | undefined {
	const row = procCgroups?.split('\n').find(line => line.startsWith('memory\t') || line.startsWith('memory '));
	return row === undefined ? undefined : row.trim().split(/\s+/)[3] === '1';
}

/** /proc/cgroups' word on memcg: on, off, null without /proc/cgroups (or a memory row), undefined offline. */
function memoryController(): FactDef<boolean | null | undefined> {
	return {
		request: {kind: 'command', command: 'cat /proc/cgroups'},
		parse: fact => (fact.unavailable ? undefined : (memoryControllerOn(fact.exitCode === 0 ? fact.text.trim() : undefined) ?? null)),
	};
}

export function memoryCgroupStep(options: {wizard: string; role: string}): Step {
	return defineStep({
		id: 'memory-cgroup',
		title: 'Memory cgroup for LXC (only where it is off)',
		why:
			'The guide enables LXC memory limits with cgroup_enable=memory on the GRUB command line. That was a Debian kernel patch of its ' +
			'time; current kernels have the memory controller on by default (cgroup v2), so nothing is added unless /proc/cgroups says memory ' +
			'is disabled. Then the word goes into /etc/default/grub.d/99-waymark-hypervisors.cfg, which Debian and Ubuntu read after ' +
			'/etc/default/grub, followed by update-grub (Raspberry Pi kernels are handled by the cgroups step).',
		role: options.role,
		risk: 'reboot',
		facts: () => ({
			...platformFactDefs(),
			cgroups: memoryController(),
			grub: fileText('/etc/default/grub'),
			dropin: fileText(grubDropInPath(options.wizard)),
		}),
		plan(_ctx, facts) {
			const on = facts.cgroups;
			const host = hostPlatform(facts);
			if (inContainer(host)) {
				// Skipped, not ok: whether LXC gets memory limits here is the outer machine's kernel's business.
				return notHere(
					`This host is a container (${host.container}): its kernel, and with it the memory controller, belongs to the machine that runs it.`,
					`On the machine that runs the container, check that /proc/cgroups says memory is enabled (cgroup_enable=memory on its kernel command line if not).`,
				);
			}

			if (on === undefined) {
				return untilLive('the memory controller is read from /proc/cgroups');
			}

			if (on !== false) {
				return noop(
					on ? 'The memory controller is on (/proc/cgroups): LXC memory limits work without cgroup_enable=memory.' : 'No /proc/cgroups: nothing is added.',
				);
			}

			if (facts.grub === null) {
				return noop("Memory cgroup is off but there is no /etc/default/grub: add cgroup_enable=memory to your boot loader's kernel command line.");
			}

			const change = fileChange(grubDropInPath(options.wizard), facts.dropin, grubDropInText(options.wizard, ['cgroup_enable=memory', 'swapaccount=1']));
			return plan([change, change && {kind: 'command', title: 'Regenerate the GRUB menu', script: 'update-grub'}], ['Takes effect at the next boot.']);
		},
		ansible() {
			const grub = grubDropInAnsible({
				wizard: options.wizard,
				stepId: 'memory-cgroup',
				title: 'cgroup_enable=memory in a GRUB drop-in, only where memory is off',
				words: ['cgroup_enable=memory', 'swapaccount=1'],
				when: "waymark_memcg.stdout | trim == '0'",
			});
			return {
				tasks: [
					{
						name: "Whether /proc/cgroups says the memory controller is off (its 'enabled' column)",
						'ansible.builtin.command': {argv: ['awk', '$1 == "memory" { print $4 }', '/proc/cgroups']},
						register: 'waymark_memcg',
						changed_when: false,
						failed_when: false,
						check_mode: false,
					},
					...grub.tasks,
				],
				handlers: grub.handlers,
				files: grub.files,
				// As the step: a container's kernel is the outer machine's.
				when: `not ${platformFacts.container}`,
			};
		},
	});
}
