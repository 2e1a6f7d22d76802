// The guide's GRUB_CMDLINE_LINUX_DEFAULT edit: only the words that still do something, in a drop-in Waymark owns.
import {answerFlag} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep} from '../../source/engine/step.js';
import type {AnsibleStep, Step} from '../../source/engine/types.js';
import {commandOutput, programPath} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {hostPlatform, inContainer, kernelAtLeast, platformFactDefs} from '../../source/facts/platform.js';
import {copyTask, platformFacts, shellHandler} from './ansible-tasks.js';
import {fileChange, header, noop, notHere, plan} from './plan-helpers.js';

/** One drop-in per wizard: two wizards on one host must not rewrite each other's words back and forth. */
export function grubDropInPath(wizard: string): string {
	return `/etc/default/grub.d/99-waymark-${wizard}.cfg`;
}

/** Our drop-in appends to GRUB_CMDLINE_LINUX, which every Debian/Ubuntu menu entry uses. */
export function grubDropInText(wizard: string, words: readonly string[]): string {
	return `${header(wizard, 'kernel-cmdline')}
GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX ${words.join(' ')}"
`;
}

/**
 * The drop-in as Ansible tasks, where GRUB is the boot loader (and `when` holds), the menu regenerated after a change:
 * the kernel-cmdline and memory-cgroup steps' shared form.
 */
export function grubDropInAnsible(options: {wizard: string; stepId: string; title: string; words: readonly string[]; when?: string}): AnsibleStep {
	const name = `99-waymark-${options.wizard}.cfg`;
	const regenerate = 'Regenerate the GRUB menu';
	return {
		tasks: [
			{name: 'Whether GRUB is the boot loader', 'ansible.builtin.stat': {path: '/etc/default/grub', get_checksum: false}, register: 'waymark_grub'},
			{
				...copyTask(options.title, {stepId: options.stepId, name, path: grubDropInPath(options.wizard), mode: 0o644, notify: regenerate}),
				when: ['waymark_grub.stat.exists', ...(options.when === undefined ? [] : [options.when])].join(' and '),
			},
		],
		handlers: [shellHandler(regenerate, 'if command -v update-grub >/dev/null; then update-grub; else grub-mkconfig -o /boot/grub/grub.cfg; fi')],
		files: {[name]: grubDropInText(options.wizard, options.words)},
	};
}

export function kernelCmdlineStep(options: {wizard: string; role: string; nomodesetParam: string}): Step {
	return defineStep({
		id: 'kernel-cmdline',
		title: 'Kernel command line (GRUB)',
		why: 'The guide adds elevator=cfq (and keeps nomodeset) in /etc/default/grub. elevator= only works on kernels before 5.0, and nomodeset disables graphics drivers, so it is added only when you ask for it. Debian and Ubuntu read /etc/default/grub.d/*.cfg after /etc/default/grub, so the words go into a drop-in, followed by update-grub.',
		role: options.role,
		params: [options.nomodesetParam],
		risk: 'reboot',
		facts: () => ({
			...platformFactDefs(),
			grub: fileText('/etc/default/grub'),
			dropin: fileText(grubDropInPath(options.wizard)),
			// The plan does not use it; read as it always was, under the name the converged hosts answer.
			cmdline: commandOutput('cat /proc/cmdline'),
			'update-grub': commandOutput('command -v update-grub || command -v grub2-mkconfig || command -v grub-mkconfig'),
			grubby: programPath('grubby'),
		}),
		plan(ctx, facts) {
			const host = hostPlatform(facts);
			const words = [...(kernelAtLeast(host, 5) ? [] : ['elevator=cfq']), ...(answerFlag(ctx.answers, options.nomodesetParam) ? ['nomodeset'] : [])];
			const current = facts.dropin;
			if (inContainer(host)) {
				return notHere(
					`This host is a container (${host.container}): it has no kernel command line of its own.`,
					'Set kernel parameters on the machine that runs the container.',
				);
			}

			if (words.length === 0 && current === null) {
				return noop(
					`Nothing to add: kernel ${host.kernelText || '≥ 5.0'} ignores elevator= (the io-scheduler step does it with udev) and nomodeset was not asked for.`,
				);
			}

			if (facts.grub === null) {
				const grubby = facts.grubby;
				return notHere(
					`No /etc/default/grub on this host: the kernel command line is not GRUB's to set here.`,
					grubby
						? `Run \`grubby --update-kernel=ALL --args="${words.join(' ')}"\` on the host.`
						: `Add "${words.join(' ')}" to the boot loader's kernel command line (systemd-boot: /etc/kernel/cmdline; Raspberry Pi: /boot/firmware/cmdline.txt).`,
				);
			}

			const change = fileChange(grubDropInPath(options.wizard), current, grubDropInText(options.wizard, words));
			const updater = facts['update-grub'];
			const regenerate = updater?.endsWith('update-grub') ? 'update-grub' : `${quote(updater ?? 'grub-mkconfig')} -o /boot/grub/grub.cfg`;
			return plan(
				[change, change && {kind: 'command', title: 'Regenerate the GRUB menu', script: regenerate}],
				['Takes effect at the next boot; check with `cat /proc/cmdline` afterwards.'],
			);
		},
		ansible(ctx) {
			// Kernels before 5.0 would get elevator=cfq as well; every kernel a current Debian runs is newer.
			const gaps = ['a kernel before 5.0 does not get elevator=cfq (Waymark adds it there)'];
			if (!answerFlag(ctx.answers, options.nomodesetParam)) {
				return {tasks: [], gaps};
			}

			return {
				...grubDropInAnsible({wizard: options.wizard, stepId: 'kernel-cmdline', title: 'The kernel words in a GRUB drop-in', words: ['nomodeset']}),
				// As the step: a container has no kernel command line of its own.
				when: `not ${platformFacts.container}`,
				gaps,
			};
		},
	});
}
