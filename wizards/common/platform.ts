// Read-only probes for what a host really is; every step that differs by platform uses these.
import type {FactRequest, Facts} from '../../source/engine/types.js';
import {fact, output} from './plan-helpers.js';

/** Container detection without systemd too: the markers docker, podman and LXC leave. */
export const containerProbe = `if command -v systemd-detect-virt >/dev/null 2>&1; then systemd-detect-virt --container || true; elif [ -e /.dockerenv ]; then echo docker; elif [ -e /run/.containerenv ]; then echo podman; elif grep -qa 'container=' /proc/1/environ 2>/dev/null; then echo container; else echo none; fi`;

export const platformFacts: readonly FactRequest[] = [
	{kind: 'command', key: 'kernel', command: 'uname -r'},
	{kind: 'command', key: 'container', command: containerProbe},
	{kind: 'command', key: 'systemd', command: '[ -d /run/systemd/system ] && echo yes || echo no'},
];

export interface Platform {
	/** Kernel release as [major, minor], undefined when unknown (offline target). */
	readonly kernel?: readonly [number, number];
	readonly kernelText: string;
	/** Container kind, `none`, or undefined when unknown. */
	readonly container?: string;
	readonly systemd: boolean;
}

export function platform(facts: Facts): Platform {
	const kernelText = output(facts, 'kernel') ?? '';
	const match = /^(\d+)\.(\d+)/.exec(kernelText);
	const containerText = fact(facts, 'container');
	const container = containerText.unavailable ? undefined : containerText.text.trim().split('\n').at(-1) || 'none';
	return {
		kernel: match ? [Number(match[1]), Number(match[2])] : undefined,
		kernelText,
		container,
		systemd: output(facts, 'systemd') === 'yes',
	};
}

export function inContainer(host: Platform): boolean {
	return host.container !== undefined && host.container !== 'none';
}

/** True when the kernel is at least major.minor; unknown kernels count as modern. */
export function kernelAtLeast(host: Platform, major: number, minor = 0): boolean {
	return host.kernel === undefined || host.kernel[0] > major || (host.kernel[0] === major && host.kernel[1] >= minor);
}
