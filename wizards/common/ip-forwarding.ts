// IPv4 forwarding that survives a reboot: a sysctl.d file, then the running value (PITFALLS §8).
import type {Step} from '../../source/engine/types.js';
import {fileChange, fileText, header, noop, output, plan} from './plan-helpers.js';

/** One file per wizard, so two wizards on one host never rewrite each other's header back and forth. */
export function forwardingFile(wizard: string): string {
	return `/etc/sysctl.d/90-waymark-${wizard}.conf`;
}

export function ipForwardingStep(options: {id: string; role: string; wizard: string; why: string}): Step {
	const content = `${header(options.wizard, options.id)}\nnet.ipv4.ip_forward = 1\n`;
	const file = forwardingFile(options.wizard);
	return {
		id: options.id,
		title: 'IP forwarding on, now and after a reboot',
		why: options.why,
		role: options.role,
		facts: () => [
			{kind: 'file', key: 'file', path: file},
			{kind: 'command', key: 'running', command: 'cat /proc/sys/net/ipv4/ip_forward'},
		],
		plan(_ctx, facts) {
			const running = output(facts, 'running');
			const write = fileChange(file, fileText(facts, 'file'), content, {mode: 0o644});
			const live = running !== undefined && running !== '1';
			if (!write && !live) {
				return noop(running === undefined ? `${file} is in place; the running value is set when the host is live.` : 'Forwarding is on and set in sysctl.d.');
			}

			return plan([write, live && {kind: 'command', title: 'Turn forwarding on now', script: `sysctl -q -p ${file}`}]);
		},
	};
}
