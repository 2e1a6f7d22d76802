// Facts for every step of a host, and the host's platform, in one round trip; shared by `run` and `check`.
import {factsView, prefixed} from './fact-view.js';
import {differences, preflightFacts, preflightPrefix, readPlatform, type Platform} from './preflight.js';
import type {Target} from './target.js';
import type {FactRequest, Facts, Step, StepContext} from './types.js';

/** The requests of a host: the platform probe, then each step's own facts under `stepId:`. */
export function hostRequests(steps: readonly Step[], context: (step: Step) => StepContext): FactRequest[] {
	return [
		...preflightFacts.map(request => ({...request, key: `${preflightPrefix}${request.key}`})),
		...steps.flatMap(step => prefixed(step.id, step.facts(context(step)))),
	];
}

/** What one host read told: its facts, its platform, and where that departs from the guides. */
export interface HostRead {
	readonly facts: Facts;
	readonly platform: Platform;
	readonly differences: readonly string[];
	readonly count: number;
	readonly ms: number;
}

/** Reads every fact of these steps on the target in one round trip. */
export async function readHost(target: Target, steps: readonly Step[], context: (step: Step) => StepContext, signal?: AbortSignal): Promise<HostRead> {
	const started = Date.now();
	const requests = hostRequests(steps, context);
	const facts = await target.facts(requests, signal);
	const platform = readPlatform(facts);
	return {facts, platform, differences: differences(platform), count: requests.length, ms: Date.now() - started};
}

/**
 * The facts of a run, per target; a target's entry is dropped once something there changed. A change on one host can
 * also change what another reads of it (a ping across a tunnel just restarted, a handshake, a port): the other hosts'
 * reads are then stale for running steps, which read their own facts again; drift on resume still compares with them.
 */
export class FactCache {
	private readonly byTarget = new Map<Target, Facts>();
	private readonly readBeforeChangeElsewhere = new Set<Target>();

	constructor(
		private readonly context: (step: Step, target: Target) => StepContext,
		private readonly signal: AbortSignal,
	) {}

	remember(target: Target, facts: Facts): void {
		this.byTarget.set(target, facts);
		this.readBeforeChangeElsewhere.delete(target);
	}

	/** Anything done on a target may change facts other steps there read, and what other hosts read of it. */
	invalidate(target: Target): void {
		this.byTarget.delete(target);
		for (const other of this.byTarget.keys()) {
			this.readBeforeChangeElsewhere.add(other);
		}
	}

	/** A step's facts from the shared read, when it is still fresh; undefined otherwise. */
	cached(step: Step, target: Target): Facts | undefined {
		const facts = this.byTarget.get(target);
		return facts ? factsView(facts, step.id) : undefined;
	}

	/** A step's facts: from the shared read when fresh and complete, else read again (always, when `fresh`). */
	async read(step: Step, target: Target, fresh = false): Promise<Facts> {
		const requests = prefixed(step.id, step.facts(this.context(step, target)));
		let source = fresh || this.readBeforeChangeElsewhere.has(target) ? undefined : this.byTarget.get(target);
		if (!source || requests.some(request => !source!.has(request.key))) {
			source = await target.facts(requests, this.signal);
		}

		return factsView(source, step.id);
	}
}
