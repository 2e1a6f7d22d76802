// Runs a wizard through the real runner with --yes on the given targets of one role `node`, as the engine tests
// need it: the events it emitted, how it ended and the record it saved. Pass the record to resume it.
import {join} from 'node:path';
import {startRun} from '../../source/engine/runner.js';
import type {Target} from '../../source/engine/target.js';
import type {EngineEvent, PromptChoice, RunStatus, Wizard} from '../../source/engine/types.js';
import {type RunRecord, RunStore} from '../../source/store/runs.js';

export interface WizardRun {
	readonly status: RunStatus;
	readonly events: EngineEvent[];
	readonly record: RunRecord;
}

type PromptEvent = Extract<EngineEvent, {readonly type: 'prompt'}>;

/**
 * `decide` makes the run interactive without --yes: it answers every prompt (confirmations included) as an operator
 * at the terminal would.
 */
export async function runWizard(
	base: string,
	wizard: Wizard,
	targets: readonly Target[],
	record?: RunRecord,
	decide?: (prompt: PromptEvent) => PromptChoice,
): Promise<WizardRun> {
	const store = new RunStore(join(base, 'home'));
	const saved =
		record ??
		store.create({
			id: store.newId(wizard.id),
			guide: wizard.id,
			status: 'running',
			bindings: {node: targets.map(target => target.info.label)},
			answers: {},
			options: {},
			units: {},
			order: [],
		});
	const channel = startRun({
		wizard,
		record: saved,
		targets: new Map([['node', [...targets]]]),
		answers: {},
		secrets: new Map(),
		store,
		transcriptPath: join(base, 't'),
		yes: decide === undefined,
		dryRun: false,
		interactive: decide !== undefined,
		resumed: record !== undefined,
		forks: 5,
	});
	const events: EngineEvent[] = [];
	channel.subscribe(event => {
		events.push(event);
		if (event.type === 'prompt' && decide) {
			channel.decide(event.promptId, decide(event));
		}
	});
	const status = await channel.done;
	const stored = store.load(saved.id);
	if (!stored) {
		throw new Error(`run ${saved.id} was not saved`);
	}

	return {status, events, record: stored};
}
