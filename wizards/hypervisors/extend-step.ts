// A step built on another (the shared packages step) that reads facts of its own: its plan and checks see the base's
// plan and checks, and their own facts parsed, the way defineStep parses them. Only the base ever sees raw facts.
import {defineStep, type FactDefs, type Parsed} from '../../source/engine/step.js';
import type {Check, Facts, Plan, Step, StepContext} from '../../source/engine/types.js';

export interface Extension<D extends FactDefs> {
	/** The step's why, from the base's. */
	why?(base: string): string;
	/** Facts besides the base's; a name the base already reads is read once, with the base's request. */
	facts(ctx: StepContext): D;
	/** The plan, from what the base planned. */
	plan?(ctx: StepContext, facts: Parsed<D>, planned: Plan): Plan;
	/** The checks, from the base's own. */
	verify?(ctx: StepContext, facts: Parsed<D>, own: readonly Check[]): readonly Check[];
}

export function extendStep<D extends FactDefs>(base: Step, extension: Extension<D>): Step {
	// A typed step per call: the base's result goes in through the closure, the parsed facts through defineStep.
	const typed = (planned: Plan, own: readonly Check[]) =>
		defineStep({
			id: base.id,
			title: base.title,
			why: base.why,
			role: base.role,
			facts: extension.facts,
			plan: (ctx, facts) => extension.plan?.(ctx, facts, planned) ?? planned,
			verify: (ctx, facts) => extension.verify?.(ctx, facts, own) ?? own,
		});
	const empty: Plan = {actions: [], notes: []};
	return {
		...base,
		why: extension.why?.(base.why) ?? base.why,
		facts(ctx) {
			const requests = base.facts(ctx);
			const names = new Set(requests.map(request => request.key));
			return [
				...requests,
				...typed(empty, [])
					.facts(ctx)
					.filter(request => !names.has(request.key)),
			];
		},
		plan: (ctx, facts) => typed(base.plan(ctx, facts), []).plan(ctx, facts),
		...(base.verify || extension.verify ? {verify: (ctx: StepContext, facts: Facts) => typed(empty, base.verify?.(ctx, facts) ?? []).verify!(ctx, facts)} : {}),
	};
}
