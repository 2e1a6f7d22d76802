// The guide's `elevator=cfq`, done the blk-mq way: a udev rule picks the fair scheduler (bfq) per disk.
import {answerText} from '../../source/engine/params.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandLines, programPath} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {hostPlatform, inContainer, kernelAtLeast, platformFactDefs} from '../../source/facts/platform.js';
import {copyTask, platformFacts, shellHandler} from '../common/ansible-tasks.js';
import {fileChange, header, noop, notHere, plan} from '../common/plan-helpers.js';

export const ioSchedulerRulePath = '/etc/udev/rules.d/60-iosched.rules';

export function ioSchedulerRule(wizard: string, scheduler: string): string {
	return `${header(wizard, 'io-scheduler')}
# Rotating disks get the ${scheduler} scheduler; NVMe and SSDs keep the kernel's default (usually none).
ACTION=="add|change", KERNEL=="sd[a-z]*|vd[a-z]*|xvd[a-z]*", ATTR{queue/rotational}=="1", ATTR{queue/scheduler}="${scheduler}"
`;
}

/** A block device as /sys/block tells it: whether it rotates, and its schedulers with the active one in brackets. */
export interface BlockDevice {
	readonly name: string;
	readonly rotational: boolean;
	/** As the kernel prints them, e.g. `mq-deadline [none] bfq`. */
	readonly schedulers: string;
	/** The bracketed one, `unknown` when none is. */
	readonly active: string;
}

/** Every block device with a scheduler, one `NAME ROTATIONAL SCHEDULERS…` line each. */
function blockDevices(): FactDef<readonly BlockDevice[]> {
	const def = commandLines(
		'for d in /sys/block/*; do [ -f "$d/queue/scheduler" ] && echo "${d##*/} $(cat "$d/queue/rotational") $(cat "$d/queue/scheduler")"; done; true',
	);
	return {
		request: def.request,
		parse: fact =>
			def.parse(fact).map(line => {
				const [name = '', rotational, ...schedulers] = line.split(' ');
				return {name, rotational: rotational === '1', schedulers: schedulers.join(' '), active: /\[(\S+)\]/.exec(schedulers.join(' '))?.[1] ?? 'unknown'};
			}),
	};
}

/** Without a running udevd (early boot, some containers) the rule simply applies from the next boot. */
const reloadUdev = 'if [ -S /run/udev/control ]; then udevadm control --reload && udevadm trigger --action=change --subsystem-match=block; fi';

export function ioSchedulerStep(options: {wizard: string; role: string; param: string}): Step {
	return defineStep({
		id: 'io-scheduler',
		title: 'Fair I/O scheduler for rotating disks',
		why: 'The guide sets elevator=cfq so that one tenant cannot take all of the storage I/O. CFQ was removed in Linux 5.0 and elevator= has no effect on blk-mq kernels, so a udev rule selects the fair scheduler (bfq) for rotating disks instead; NVMe keeps none.',
		role: options.role,
		params: [options.param],
		facts: () => ({...platformFactDefs(), rule: fileText(ioSchedulerRulePath), udevadm: programPath('udevadm'), disks: blockDevices()}),
		plan(ctx, facts) {
			const host = hostPlatform(facts);
			if (inContainer(host)) {
				return notHere(
					`This host is a container (${host.container}): the I/O scheduler belongs to the machine that runs it.`,
					'Set the scheduler on the machine that runs the container (this step there, or its udev rule).',
				);
			}

			if (!kernelAtLeast(host, 5)) {
				return noop(`Kernel ${host.kernelText} still has the legacy schedulers: the kernel-cmdline step sets elevator=cfq as the guide says.`);
			}

			const scheduler = answerText(ctx.answers, options.param);
			const rule = fileChange(ioSchedulerRulePath, facts.rule, ioSchedulerRule(options.wizard, scheduler));
			const udevadm = facts.udevadm;
			return plan(
				[
					rule,
					rule &&
						udevadm !== undefined && {
							kind: 'command',
							title: 'Reload udev rules and apply them to the block devices now',
							script: reloadUdev,
						},
				],
				[
					`elevator=cfq is ignored by kernel ${host.kernelText || '≥ 5.0'}; ${scheduler} is the fair blk-mq scheduler.`,
					...(udevadm === undefined ? ['udevadm is not installed: the rule applies from the next boot.'] : []),
				],
			);
		},
		ansible: ctx => ({
			tasks: [
				copyTask(`The udev rule that gives rotating disks ${answerText(ctx.answers, options.param)}`, {
					stepId: 'io-scheduler',
					name: '60-iosched.rules',
					path: ioSchedulerRulePath,
					mode: 0o644,
					notify: 'Reload udev rules and apply them to the block devices now',
				}),
			],
			handlers: [shellHandler('Reload udev rules and apply them to the block devices now', `command -v udevadm >/dev/null || exit 0; ${reloadUdev}`)],
			files: {'60-iosched.rules': ioSchedulerRule(options.wizard, answerText(ctx.answers, options.param))},
			// As the step: a container's scheduler belongs to the machine that runs it, and kernels before 5.0 take elevator=.
			when: `not ${platformFacts.container} and ${platformFacts.kernelMajor} >= 5`,
		}),
		verify(ctx, facts): Check[] {
			if (inContainer(hostPlatform(facts))) {
				return [];
			}

			const scheduler = answerText(ctx.answers, options.param);
			return facts.disks
				.filter(disk => disk.rotational)
				.map(({name, schedulers, active}) => {
					return {
						id: `scheduler-${name}`,
						title: `I/O scheduler of ${name}`,
						status: active === scheduler ? 'pass' : 'warn',
						evidence: `/sys/block/${name}/queue/scheduler: ${schedulers}`,
						reason:
							active === scheduler
								? 'The fair scheduler is active.'
								: `Expected [${scheduler}]; the module may load on first use, or the rule applies after the next boot.`,
					} satisfies Check;
				});
		},
	});
}
