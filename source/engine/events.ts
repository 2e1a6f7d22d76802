// What the engine tells the world: statuses, counts and the event stream every renderer subscribes to.
import type {Check, Risk} from './types.js';

export type StepStatus = 'pending' | 'running' | 'ok' | 'changed' | 'failed' | 'skipped' | 'deferred';
export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface Counts {
	ok: number;
	changed: number;
	failed: number;
	skipped: number;
	deferred: number;
}

/** Everything the engine tells the world; every renderer subscribes to the same stream. */
export type EngineEvent =
	| {
			readonly type: 'run-start';
			readonly runId: string;
			readonly wizard: string;
			readonly resumed: boolean;
			readonly steps: readonly StepRef[];
			/** Plans are shown and nothing is changed or saved. */
			readonly dryRun?: boolean;
	  }
	| {readonly type: 'facts'; readonly target: string; readonly count: number; readonly ms: number}
	| {
			readonly type: 'preflight';
			readonly target: string;
			/** What the host is: distribution, kernel, init, cgroup, container, bootloader, sshd layout, firewall, OpenVPN. */
			readonly platform: Readonly<Record<string, string>>;
			/** Where the wizard departs from the guide on this host, and why. */
			readonly differences: readonly string[];
	  }
	| {readonly type: 'drift'; readonly stepId: string; readonly target: string; readonly summary: string}
	| {readonly type: 'step-start'; readonly stepId: string; readonly target: string; readonly title: string; readonly why: string}
	| {readonly type: 'plan'; readonly stepId: string; readonly target: string; readonly plan: ShownPlan}
	| {readonly type: 'output'; readonly stepId: string; readonly target: string; readonly lines: readonly string[]}
	| {
			readonly type: 'step-end';
			readonly stepId: string;
			readonly target: string;
			readonly status: StepStatus;
			readonly message: string;
			readonly remedy?: string;
	  }
	| {readonly type: 'check'; readonly stepId: string; readonly target: string; readonly check: Check}
	| {
			readonly type: 'prompt';
			readonly promptId: string;
			/** `confirm`: apply this plan? `failed`: the step failed, what now? `orphan`: wait for or end what a lost connection left running? */
			readonly kind: PromptKind;
			readonly stepId: string;
			readonly target: string;
			readonly risk?: Risk;
			/** For `orphan`: the process still running on the host. */
			readonly pid?: number;
			readonly choices: readonly PromptChoice[];
	  }
	| {
			readonly type: 'run-end';
			readonly runId: string;
			readonly status: RunStatus;
			readonly counts: Counts;
			/** Steps that ended deferred or skipped, this run or an earlier one it resumed: what is still not done, and why. */
			readonly notDone: readonly NotDone[];
			/** The run was cut off because the connection to a host was lost (status interrupted). */
			readonly lost?: {readonly target: string; readonly stepId: string; readonly reason: string; readonly message: string; readonly remedy: string};
	  };

/** A step left undone on one host, with the reason and what to do about it. */
export interface NotDone {
	readonly stepId: string;
	readonly target: string;
	readonly title: string;
	readonly status: 'deferred' | 'skipped';
	readonly message: string;
	readonly remedy?: string;
}

export type PromptChoice = 'apply' | 'skip' | 'retry' | 'abort' | 'wait' | 'end';

export type PromptKind = 'confirm' | 'failed' | 'orphan';

export interface StepRef {
	readonly stepId: string;
	readonly target: string;
	readonly title: string;
	readonly status: StepStatus;
}

/** A plan as shown: diffs computed, secrets masked. Safe to print and to log. */
export interface ShownPlan {
	readonly notes: readonly string[];
	readonly items: readonly ShownAction[];
}

export type ShownAction =
	| {readonly kind: 'file'; readonly path: string; readonly diff: string; readonly secret: boolean; readonly created: boolean}
	| {readonly kind: 'dir'; readonly path: string}
	| {readonly kind: 'command'; readonly title: string; readonly script: string; readonly deferred: boolean};
