// What a case table cannot say by itself: a step's whole list of checks and their evidence, and the remedy of a
// refusal. Both run the step exactly as the tables do, on the same raw facts.
import type {Check, Wizard} from '../../../source/engine/types.js';
import {StepFailure} from '../../../source/engine/errors.js';
import {context, type FactValues, facts, step} from '../step-harness.js';

/** Every check the step makes on these facts, in order. */
export function checksOf(wizard: Wizard, id: string, answers: Readonly<Record<string, unknown>>, values: FactValues): readonly Check[] {
	return step(wizard, id).verify?.(context(wizard, {...answers}), facts(values)) ?? [];
}

/** The StepFailure the plan stops with on these facts; fails the test when it plans instead. */
export function refusalOf(wizard: Wizard, id: string, answers: Readonly<Record<string, unknown>>, values: FactValues): StepFailure {
	try {
		step(wizard, id).plan(context(wizard, {...answers}), facts(values));
	} catch (error) {
		if (error instanceof StepFailure) {
			return error;
		}

		throw error;
	}

	throw new Error(`${id} planned instead of refusing`);
}
