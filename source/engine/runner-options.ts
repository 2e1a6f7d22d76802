// What a run is started with: the wizard, its record, the bound targets, the answers and how to behave.
import type {EventSink} from './event-bus.js';
import type {RunRecord, RunSink} from './run-record.js';
import type {Target} from './target.js';
import type {Answers, Wizard} from './types.js';

export interface RunnerOptions {
	readonly wizard: Wizard;
	readonly record: RunRecord;
	/** Role → the live targets bound to it, in order. */
	readonly targets: ReadonlyMap<string, readonly Target[]>;
	readonly answers: Answers;
	/** Secret values made for this run, by name; filled by `prepare`. */
	readonly secrets: ReadonlyMap<string, string>;
	/** Where run state goes; none on a dry run. */
	readonly store?: RunSink;
	/** Where every event goes (the transcript), already redacted; none on a dry run. */
	readonly transcript?: EventSink;
	readonly transcriptPath: string;
	/** Apply without asking. */
	readonly yes: boolean;
	/** Print plans, change nothing, save nothing. */
	readonly dryRun: boolean;
	/** Whether anyone can answer a prompt; if not, a needed prompt stops the run. */
	readonly interactive: boolean;
	readonly resumed: boolean;
	/** Seconds before an armed rollback fires by itself. */
	readonly guardSeconds?: number;
	/** Milliseconds between output flushes. */
	readonly outputFlushMs?: number;
	/** Secrets that are not answers or made keys, e.g. the sudo password. */
	readonly extraSecrets?: readonly string[];
	/** How many hosts run the same step at once (only without prompts). */
	readonly forks?: number;
	/** Work before the first probe, e.g. making this run's keys (slow RSA generation stays inside the run). */
	readonly prepare?: () => Promise<void>;
}
