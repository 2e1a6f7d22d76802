// The runner's lifecycle: read every host once, then the steps in order, each on every host of its role, saving
// run state before the next action. The work of one unit is unit-runner.ts; the verdicts are converge.ts.
import type {RunChannel} from './channel.js';
import {driftSummary, judge, type Verdict} from './converge.js';
import {EventBus} from './event-bus.js';
import {FactCache, readHost} from './fact-cache.js';
import {inPool} from './pool.js';
import {Prompter} from './prompter.js';
import {secretValuesOf} from './redact.js';
import {finishedStatuses, type UnitState, unitKey} from './run-record.js';
import {RunState} from './run-state.js';
import type {ConnectionLost, Target} from './target.js';
import {lostReport} from './lost-report.js';
import type {RunnerOptions} from './runner-options.js';
import type {PromptChoice, PromptKind, RunStatus, Step, StepContext, TargetInfo} from './types.js';

export {secretValuesOf} from './redact.js';
import {runUnit, type UnitDeps, type UnitEnd} from './unit-runner.js';
import type {Unit} from './unit.js';

export type {RunnerOptions} from './runner-options.js';

export function startRun(options: RunnerOptions): RunChannel {
	const runner = new Runner(options);
	// Start on the next turn, so renderers that subscribe right after this returns see run-start.
	const done = new Promise<void>(resolve => {
		setImmediate(resolve);
	}).then(async () => runner.run());
	return {
		subscribe: listener => runner.bus.subscribe(listener),
		decide: (promptId, choice) => {
			runner.prompter.decide(promptId, choice);
		},
		interrupt: () => {
			runner.interrupt();
		},
		transcriptPath: options.transcriptPath,
		done,
	};
}

class Runner {
	readonly bus: EventBus;
	readonly prompter = new Prompter();
	private readonly controller = new AbortController();
	private readonly units: Unit[];
	private readonly state: RunState;
	private readonly facts: FactCache;
	private readonly deps: UnitDeps;
	private stopped = false;
	/** The first lost connection, which ends the run as interrupted and is told at its end. */
	private lostConnection: {readonly unit: Unit; readonly error: ConnectionLost} | undefined;

	constructor(private readonly options: RunnerOptions) {
		const secrets = () => secretValuesOf(options.wizard, options.answers, options.secrets, options.extraSecrets);
		this.bus = new EventBus({sink: options.transcript, secrets, flushMs: options.outputFlushMs});
		this.state = new RunState(options.record, options.dryRun ? undefined : options.store, secrets);
		this.facts = new FactCache((_step, target) => this.context(target), this.controller.signal);
		this.units = options.wizard.steps.flatMap(step =>
			(options.targets.get(step.role) ?? []).map(target => ({key: unitKey(step.id, target.info.label), step, target})),
		);
		this.deps = {
			bus: this.bus,
			facts: this.facts,
			state: this.state,
			signal: this.controller.signal,
			yes: options.yes,
			dryRun: options.dryRun,
			interactive: options.interactive,
			guardSeconds: options.guardSeconds ?? 120,
			context: unit => this.context(unit.target),
			ask: async (unit, kind, choices, pid) => this.ask(unit, kind, choices, pid),
			stopped: () => this.stopped,
			lost: (unit, error) => {
				this.lostConnection ??= {unit, error};
				this.interrupt();
			},
		};
	}

	interrupt(): void {
		this.stopped = true;
		this.controller.abort();
		this.prompter.abortAll();
	}

	private context(target: Target): StepContext {
		const bindings: Record<string, TargetInfo[]> = {};
		for (const [role, targets] of this.options.targets) {
			bindings[role] = targets.map(each => each.info);
		}

		return {answers: this.options.answers, target: target.info, bindings, secrets: this.options.secrets};
	}

	private async ask(unit: Unit, kind: PromptKind, choices: readonly PromptChoice[], pid?: number): Promise<PromptChoice> {
		if (!this.options.interactive) {
			return 'abort';
		}

		const {promptId, answer} = this.prompter.open();
		this.bus.emit({
			type: 'prompt',
			promptId,
			kind,
			stepId: unit.step.id,
			target: unit.target.info.label,
			// The risk belongs to applying the step's plan, not to ending a leftover command.
			...(kind === 'orphan' ? {} : {risk: unit.step.risk}),
			...(pid === undefined ? {} : {pid}),
			choices,
		});
		return answer;
	}

	async run(): Promise<RunStatus> {
		let status: RunStatus;
		try {
			status = await this.runUnits();
		} catch (error) {
			if (!this.stopped) {
				throw error;
			}

			status = 'interrupted';
		} finally {
			this.bus.flush();
		}

		if (this.stopped) {
			status = 'interrupted';
		}

		this.state.save({status, current: status === 'done' ? undefined : this.state.record.current});
		this.bus.emit({
			type: 'run-end',
			runId: this.state.record.id,
			status,
			counts: {...this.state.counts},
			notDone: this.state.notDone(this.units),
			...(this.lostConnection ? {lost: lostReport(this.lostConnection.unit, this.lostConnection.error, this.state.record.id)} : {}),
		});
		return status;
	}

	private async runUnits(): Promise<RunStatus> {
		this.bus.emit({
			type: 'run-start',
			runId: this.state.record.id,
			wizard: this.options.wizard.id,
			resumed: this.options.resumed,
			steps: this.state.stepRefs(this.units),
			...(this.options.dryRun ? {dryRun: true} : {}),
		});
		this.state.save({status: 'running', order: this.units.map(unit => unit.key)});
		await this.options.prepare?.();
		await this.prefetch();
		// Step by step across hosts: a step runs on every host of its role (up to `forks` at once) before the next
		// step starts, so steps that depend on another role's earlier step stay in order.
		const failedHosts = new Set<Target>();
		for (const step of this.options.wizard.steps) {
			if (this.stopped) {
				return 'interrupted';
			}

			const units = this.units.filter(unit => unit.step === step && !failedHosts.has(unit.target));
			const ends = await inPool(units, this.concurrency(), async unit => this.runOrSkip(unit));
			if (ends.includes('declined')) {
				this.stopped = true;
			}

			if (this.stopped) {
				return 'interrupted';
			}

			for (const [index, end] of ends.entries()) {
				if (end === 'stop-host') {
					// One failing host does not stop the others; its later steps wait for a resume.
					failedHosts.add(units[index]!.target);
				}
			}
		}

		return this.state.counts.failed > 0 || failedHosts.size > 0 ? 'failed' : 'done';
	}

	/** Parallel only when nobody is asked anything: prompts come one at a time. */
	private concurrency(): number {
		return this.options.yes || !this.options.interactive ? Math.max(1, this.options.forks ?? 5) : 1;
	}

	private async runOrSkip(unit: Unit): Promise<UnitEnd> {
		const previous = this.state.unit(unit);
		if (previous && finishedStatuses.has(previous.status) && !this.drifted(unit, previous)) {
			this.state.count(previous.status === 'changed' ? 'ok' : previous.status);
			return 'next';
		}

		return runUnit(unit, this.deps);
	}

	/** Reads the facts of every unit on each target in one round trip per target, all targets at once. */
	private async prefetch(): Promise<void> {
		const byTarget = new Map<Target, Step[]>();
		for (const unit of this.units) {
			byTarget.set(unit.target, [...(byTarget.get(unit.target) ?? []), unit.step]);
		}

		await Promise.all(
			[...byTarget].map(async ([target, steps]) => {
				try {
					const read = await readHost(target, steps, () => this.context(target), this.controller.signal);
					this.facts.remember(target, read.facts);
					this.bus.emit({type: 'facts', target: target.info.label, count: read.count, ms: read.ms});
					this.bus.emit({type: 'preflight', target: target.info.label, platform: {...read.platform}, differences: read.differences});
				} catch (error) {
					if (this.stopped) {
						throw error;
					}

					// Not fatal here: each step reads its own facts again and fails with the reason and a remedy.
				}
			}),
		);
	}

	/** A finished unit that is no longer ok (a change needed again, a check failing) has drifted: say so and run it again. */
	private drifted(unit: Unit, previous: UnitState): boolean {
		const facts = this.facts.cached(unit.step, unit.target);
		if (!this.options.resumed || previous.status === 'skipped' || previous.status === 'deferred' || !facts) {
			return false;
		}

		let verdict: Verdict;
		try {
			verdict = judge(unit.step, this.context(unit.target), facts, unit.target);
		} catch (error) {
			verdict = {kind: 'failed', message: (error as Error).message, remedy: '', checks: []};
		}

		if (verdict.kind === 'ok') {
			return false;
		}

		const summary = driftSummary(verdict);
		this.bus.emit({type: 'drift', stepId: unit.step.id, target: unit.target.info.label, summary});
		return true;
	}
}
