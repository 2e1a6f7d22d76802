// The only link between a running wizard and whoever shows it: events out, decisions in.
import type {Finding, HostPlatform} from './checker.js';
import type {EngineEvent, NotDoneHere, Param, PromptChoice, Risk, RunStatus} from './types.js';

export interface RunChannel {
	/** Receives every event from now on; returns the unsubscribe function. */
	subscribe(listener: (event: EngineEvent) => void): () => void;
	/** Answers a `prompt` event. */
	decide(promptId: string, choice: PromptChoice): void;
	/** Stops at the next safe point; the run is saved as `interrupted` and can be resumed. */
	interrupt(): void;
	/** Where the full output of this run is kept (one JSON line per event, secrets redacted). */
	readonly transcriptPath: string;
	/** The read-only check of the same targets, as the operator pastes it, for the summary of a finished run. */
	readonly checkCommand?: string;
	readonly done: Promise<RunStatus>;
}

/** What a renderer needs to show a guide before any run exists. */
export interface WizardSummary {
	readonly id: string;
	readonly title: string;
	readonly summary: string;
	readonly roles: readonly string[];
	readonly params: readonly Param[];
	readonly steps: ReadonlyArray<{readonly id: string; readonly title: string; readonly why: string; readonly role: string; readonly risk?: Risk}>;
	/** The guide's instructions no step carries out, with why; none when every one is a step. */
	readonly notDoneHere?: readonly NotDoneHere[];
}

/** One saved run, as listed by `waymark runs` and on the home screen. */
export interface RunSummary {
	readonly id: string;
	readonly guide: string;
	readonly targets: string;
	readonly status: RunStatus;
	readonly lastStep: string;
	readonly done: number;
	readonly total: number;
	readonly updated: string;
	/** Steps left deferred (`stepId@target`), with what they wait for and what to do: the work still to run on the live host. */
	readonly waiting?: readonly {readonly unit: string; readonly message: string; readonly remedy?: string}[];
}

/** What the operator chose on the home screen to start a run. */
export interface StartRequest {
	readonly guide: string;
	/** Role → target specs (`local`, `ssh:[USER@]HOST[:PORT]`, `root:DIR`). */
	readonly bindings: Readonly<Record<string, readonly string[]>>;
	readonly answers: Readonly<Record<string, unknown>>;
	/** Run only these steps, e.g. the ones a check says fix a problem. */
	readonly only?: readonly string[];
}

/** What `waymark check` found, for renderers: findings per host and each host's platform. */
export interface CheckReport {
	readonly findings: readonly Finding[];
	readonly platforms: readonly HostPlatform[];
}
