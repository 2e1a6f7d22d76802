// What a host offers WireGuard, read the same way by the step that installs it and the step that brings it up.
import type {FactDef} from '../engine/step.js';

/** What `wg-quick up` needs: the tools, and the kernel module or wireguard-go (its userspace fallback). */
export const wireguardSupportProbe =
	'{ [ -e /sys/module/wireguard ] || modprobe -n -q wireguard 2>/dev/null; } && echo kernel; command -v wireguard-go >/dev/null && echo userspace; true';

/** Which WireGuard implementations the host can run; both false when unknown (offline target). */
export interface WireguardSupport {
	/** The kernel module is loaded or loadable. */
	readonly kernel: boolean;
	/** wireguard-go is installed. */
	readonly userspace: boolean;
}

export function wireguardSupport(): FactDef<WireguardSupport> {
	return {
		request: {kind: 'command', command: wireguardSupportProbe},
		parse(fact) {
			const text = fact.unavailable || fact.exitCode !== 0 ? '' : fact.text.trim();
			return {kernel: text.includes('kernel'), userspace: text.includes('userspace')};
		},
	};
}
