// What a host really is, read the same way by the pre-flight and by every step that differs by platform.
import {containerProbe, systemdProbe} from '../engine/preflight.js';
import type {FactDef} from '../engine/step.js';

export {containerProbe, systemdProbe} from '../engine/preflight.js';

export interface HostPlatform {
	/** Kernel release as [major, minor], undefined when unknown (offline target). */
	readonly kernel?: readonly [number, number];
	readonly kernelText: string;
	/** Container kind, `none`, or undefined when unknown. */
	readonly container?: string;
	readonly systemd: boolean;
}

/** The three facts a platform-aware step reads, under the names every step uses. */
export function platformFactDefs() {
	return {
		kernel: {
			request: {kind: 'command', command: 'uname -r'},
			parse: fact => (fact.unavailable || fact.exitCode !== 0 ? '' : fact.text.trim()),
		} as FactDef<string>,
		container: {
			request: {kind: 'command', command: containerProbe},
			parse: fact => (fact.unavailable ? undefined : fact.text.trim().split('\n').at(-1) || 'none'),
		} as FactDef<string | undefined>,
		systemd: {request: {kind: 'command', command: systemdProbe}, parse: fact => !fact.unavailable && fact.text.trim() === 'yes'} as FactDef<boolean>,
	};
}

/** The platform from those three parsed facts. */
export function hostPlatform(facts: {readonly kernel: string; readonly container: string | undefined; readonly systemd: boolean}): HostPlatform {
	const match = /^(\d+)\.(\d+)/.exec(facts.kernel);
	return {kernel: match ? [Number(match[1]), Number(match[2])] : undefined, kernelText: facts.kernel, container: facts.container, systemd: facts.systemd};
}

export function inContainer(host: HostPlatform): boolean {
	return host.container !== undefined && host.container !== 'none';
}

/** True when the kernel is at least major.minor; unknown kernels count as modern. */
export function kernelAtLeast(host: HostPlatform, major: number, minor = 0): boolean {
	return host.kernel === undefined || host.kernel[0] > major || (host.kernel[0] === major && host.kernel[1] >= minor);
}
