// One step on one target: what the runner schedules, saves and reports, keyed `stepId@target`.
import type {Target} from './target.js';
import type {Step, StepStatus} from './types.js';

export interface Unit {
	readonly key: string;
	readonly step: Step;
	readonly target: Target;
}

/** How one attempt at a unit ended. Branch on `kind`; there are no sentinel messages. */
export type Outcome =
	| {readonly kind: 'finished'; readonly status: Exclude<StepStatus, 'pending' | 'running' | 'failed'>; readonly message: string; readonly remedy?: string}
	/** The operator stopped at the confirmation: nothing changed, the step is still to do, the run can be resumed. */
	| {readonly kind: 'declined'};
