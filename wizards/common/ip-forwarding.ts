// IPv4 forwarding that survives a reboot: a sysctl.d file, then the running value (PITFALLS §8).
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {fileChange, header, noop, plan} from './plan-helpers.js';

/** One file per wizard, so two wizards on one host never rewrite each other's header back and forth. */
export function forwardingFile(wizard: string): string {
	return `/etc/sysctl.d/90-waymark-${wizard}.conf`;
}

export function ipForwardingStep(options: {id: string; role: string; wizard: string; why: string}): Step {
	const content = `${header(options.wizard, options.id)}\nnet.ipv4.ip_forward = 1\n`;
	const file = forwardingFile(options.wizard);
	return defineStep({
		id: options.id,
		title: 'IP forwarding on, now and after a reboot',
		why: options.why,
		role: options.role,
		// `running` is undefined on an offline target: the file is written, the running value waits for the live host.
		facts: () => ({file: fileText(file), running: commandOutput('cat /proc/sys/net/ipv4/ip_forward')}),
		plan(_ctx, facts) {
			const write = fileChange(file, facts.file, content, {mode: 0o644});
			const live = facts.running !== undefined && facts.running !== '1';
			if (!write && !live) {
				return noop(
					facts.running === undefined ? `${file} is in place; the running value is set when the host is live.` : 'Forwarding is on and set in sysctl.d.',
				);
			}

			return plan([write, live && {kind: 'command', title: 'Turn forwarding on now', script: `sysctl -q -p ${file}`}]);
		},
	});
}
