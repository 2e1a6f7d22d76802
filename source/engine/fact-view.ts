// Facts for many steps travel in one batch, keyed `stepId:key`; each step sees only its own, under its own keys.
import type {Fact, FactRequest, Facts} from './types.js';

export function prefixed(stepId: string, requests: readonly FactRequest[]): FactRequest[] {
	return requests.map(request => ({...request, key: `${stepId}:${request.key}`}));
}

export function factsView(facts: Facts, stepId: string): Map<string, Fact> {
	const prefix = `${stepId}:`;
	const view = new Map<string, Fact>();
	for (const [key, fact] of facts) {
		if (key.startsWith(prefix)) {
			const own = key.slice(prefix.length);
			view.set(own, {...fact, key: own});
		}
	}

	return view;
}
