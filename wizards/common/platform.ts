// Read-only probes for what a host really is. Steps defined over parsed facts use source/facts/platform.ts; this
// raw-fact form stays for the steps not converted yet, and parses through the same definitions.
import type {FactRequest, Facts} from '../../source/engine/types.js';
import {type HostPlatform, hostPlatform, platformFactDefs} from '../../source/facts/platform.js';
import {parseFacts} from './plan-helpers.js';

export {containerProbe, inContainer, kernelAtLeast} from '../../source/facts/platform.js';

/** @deprecated The raw-fact form of platformFactDefs. */
export const platformFacts: readonly FactRequest[] = Object.entries(platformFactDefs()).map(([key, def]) => ({...def.request, key}) as FactRequest);

export type Platform = HostPlatform;

/** @deprecated The raw-fact form of hostPlatform. */
export function platform(facts: Facts): Platform {
	return hostPlatform(parseFacts(platformFactDefs(), facts));
}
