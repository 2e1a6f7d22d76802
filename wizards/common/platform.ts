// Read-only probes for what a host really is; every step that differs by platform uses these.
import type {FactRequest, Facts} from '../../source/engine/types.js';
import {fact, output} from './plan-helpers.js';

import {containerProbe, systemdProbe} from '../../source/facts/platform.js';

export {containerProbe, inContainer, kernelAtLeast} from '../../source/facts/platform.js';

export const platformFacts: readonly FactRequest[] = [
	{kind: 'command', key: 'kernel', command: 'uname -r'},
	{kind: 'command', key: 'container', command: containerProbe},
	{kind: 'command', key: 'systemd', command: systemdProbe},
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
