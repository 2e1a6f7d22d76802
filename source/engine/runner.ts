// The runner: the only writer of run state. Probe → plan → confirm → apply → verify, one unit at a time.
import type {Target} from '../targets/target.js';
import {TargetError} from '../targets/target.js';
import {type RunRecord, type RunStore, type UnitState, unitKey} from '../store/runs.js';
import type {Transcript} from '../store/transcript.js';
import {redact, redactDeep} from './redact.js';
import type {RunChannel} from './channel.js';
import {StepFailure} from './errors.js';
import {armedGuard, armRollback, guardId, proveWayBack} from './guard.js';
import {factsView, prefixed} from './fact-view.js';
import {differences, preflightFacts, preflightPrefix, readPlatform} from './preflight.js';
import {judge, judgePlan, type Verdict} from './converge.js';
import {showPlan} from './show-plan.js';
import type {
	Action,
	Answers,
	Check,
	Counts,
	EngineEvent,
	FactRequest,
	NotDone,
	Facts,
	Plan,
	PromptChoice,
	RunStatus,
	Step,
	StepContext,
	StepRef,
	StepStatus,
	TargetInfo,
	Wizard,
} from './types.js';

export interface RunnerOptions {
	readonly wizard: Wizard;
	readonly record: RunRecord;
	/** Role → the live targets bound to it, in order. */
	readonly targets: ReadonlyMap<string, readonly Target[]>;
	readonly answers: Answers;
	readonly secrets: ReadonlyMap<string, string>;
	readonly store?: RunStore;
	readonly transcript?: Transcript;
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

interface Unit {
	readonly key: string;
	readonly step: Step;
	readonly target: Target;
}

/** How one attempt at a unit ended; `remedy` says what to do about a failure or what waits. */
interface Outcome {
	readonly status: StepStatus;
	readonly message: string;
	readonly remedy?: string;
}

const finished = new Set<StepStatus>(['ok', 'changed', 'skipped', 'deferred']);

export function startRun(options: RunnerOptions): RunChannel {
	const runner = new Runner(options);
	// Start on the next turn, so renderers that subscribe right after this returns see run-start.
	const done = new Promise<void>(resolve => {
		setImmediate(resolve);
	}).then(async () => runner.run());
	return {
		subscribe: listener => runner.subscribe(listener),
		decide: (promptId, choice) => {
			runner.decide(promptId, choice);
		},
		interrupt: () => {
			runner.interrupt();
		},
		transcriptPath: options.transcriptPath,
		done,
	};
}

class Runner {
	private readonly listeners = new Set<(event: EngineEvent) => void>();
	private readonly pending = new Map<string, (choice: PromptChoice) => void>();
	private readonly controller = new AbortController();
	private readonly units: Unit[];
	private readonly counts: Counts = {ok: 0, changed: 0, failed: 0, skipped: 0, deferred: 0};
	/** Facts read in one round trip per target, by `stepId:key`; dropped for a target once something there changed. */
	private readonly cache = new Map<Target, Facts>();
	private record: RunRecord;
	private interrupted = false;
	private promptCounter = 0;
	private readonly outputBuffers = new Map<string, {stepId: string; target: string; lines: string[]}>();
	private outputTimer: NodeJS.Timeout | undefined;

	constructor(private readonly options: RunnerOptions) {
		this.record = options.record;
		this.units = options.wizard.steps.flatMap(step =>
			(options.targets.get(step.role) ?? []).map(target => ({key: unitKey(step.id, target.info.label), step, target})),
		);
	}

	subscribe(listener: (event: EngineEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	decide(promptId: string, choice: PromptChoice): void {
		const resolve = this.pending.get(promptId);
		this.pending.delete(promptId);
		resolve?.(choice);
	}

	interrupt(): void {
		this.interrupted = true;
		this.controller.abort();
		for (const [id, resolve] of this.pending) {
			this.pending.delete(id);
			resolve('abort');
		}
	}

	/** Every secret value of this run: made keys and secret answers. Nothing leaves the runner unredacted. */
	private secretValues(): string[] {
		const secretParams = this.options.wizard.params.filter(param => param.type === 'secret').map(param => String(this.options.answers[param.name] ?? ''));
		return [...this.options.secrets.values(), ...secretParams, ...(this.options.extraSecrets ?? [])].filter(value => value !== '');
	}

	private emit(raw: EngineEvent): void {
		if (raw.type !== 'output') {
			this.flushOutput();
		}

		const event = redactDeep(raw, this.secretValues());
		this.options.transcript?.write(event);
		for (const listener of this.listeners) {
			listener(event);
		}
	}

	/** Output is gathered and sent in batches, so a chatty command costs a few events a second, not one per line. */
	private output(unit: Unit, line: string): void {
		const buffer = this.outputBuffers.get(unit.key) ?? {stepId: unit.step.id, target: unit.target.info.label, lines: []};
		buffer.lines.push(line);
		this.outputBuffers.set(unit.key, buffer);
		this.outputTimer ??= setTimeout(() => {
			this.flushOutput();
		}, this.options.outputFlushMs ?? 100);
	}

	private flushOutput(): void {
		clearTimeout(this.outputTimer);
		this.outputTimer = undefined;
		const buffers = [...this.outputBuffers.values()];
		this.outputBuffers.clear();
		for (const buffer of buffers) {
			if (buffer.lines.length > 0) {
				this.emit({type: 'output', stepId: buffer.stepId, target: buffer.target, lines: buffer.lines});
			}
		}
	}

	private save(change: Partial<RunRecord>): void {
		this.record = {...this.record, ...change};
		if (!this.options.dryRun && this.options.store) {
			this.record = this.options.store.save(this.record);
		}
	}

	private setUnit(unit: Unit, status: StepStatus, raw: string, extra: Partial<RunRecord> = {}, remedy?: string): void {
		const message = redact(raw, this.secretValues());
		const old = this.record.units[unit.key];
		const state: UnitState = {
			status,
			message,
			updated: new Date().toISOString(),
			attempts: (old?.attempts ?? 0) + (status === 'running' ? 1 : 0),
			...(remedy ? {remedy: redact(remedy, this.secretValues())} : {}),
		};
		this.save({units: {...this.record.units, [unit.key]: state}, ...extra});
	}

	private context(unit: Unit): StepContext {
		const bindings: Record<string, TargetInfo[]> = {};
		for (const [role, targets] of this.options.targets) {
			bindings[role] = targets.map(target => target.info);
		}

		return {answers: this.options.answers, target: unit.target.info, bindings, secrets: this.options.secrets};
	}

	private ask(unit: Unit, kind: 'confirm' | 'failed', choices: readonly PromptChoice[]): Promise<PromptChoice> {
		if (!this.options.interactive) {
			return Promise.resolve('abort');
		}

		const promptId = `p${++this.promptCounter}`;
		const answer = new Promise<PromptChoice>(resolve => {
			this.pending.set(promptId, resolve);
		});
		this.emit({type: 'prompt', promptId, kind, stepId: unit.step.id, target: unit.target.info.label, risk: unit.step.risk, choices});
		return answer;
	}

	async run(): Promise<RunStatus> {
		let status: RunStatus = 'done';
		try {
			status = await this.runUnits();
		} catch (error) {
			if (!this.interrupted) {
				throw error;
			}

			status = 'interrupted';
		} finally {
			this.flushOutput();
		}

		if (this.interrupted) {
			status = 'interrupted';
		}

		this.save({status, current: status === 'done' ? undefined : this.record.current});
		this.emit({type: 'run-end', runId: this.record.id, status, counts: {...this.counts}, notDone: this.notDone()});
		return status;
	}

	/** What the run leaves undone, read from the run state so a resume lists what earlier attempts deferred too. */
	private notDone(): NotDone[] {
		return this.units.flatMap(unit => {
			const state = this.record.units[unit.key];
			if (state?.status !== 'deferred' && state?.status !== 'skipped') {
				return [];
			}

			return [{stepId: unit.step.id, target: unit.target.info.label, title: unit.step.title, status: state.status, message: state.message, ...(state.remedy ? {remedy: state.remedy} : {})}];
		});
	}

	private stepRefs(): StepRef[] {
		return this.units.map(unit => ({
			stepId: unit.step.id,
			target: unit.target.info.label,
			title: unit.step.title,
			status: this.record.units[unit.key]?.status ?? 'pending',
		}));
	}

	private async runUnits(): Promise<RunStatus> {
		this.emit({type: 'run-start', runId: this.record.id, wizard: this.options.wizard.id, resumed: this.options.resumed, steps: this.stepRefs()});
		this.save({status: 'running', order: this.units.map(unit => unit.key)});
		await this.options.prepare?.();
		await this.prefetch();
		// Step by step across hosts: a step runs on every host of its role (up to `forks` at once) before the next
		// step starts, so steps that depend on another role's earlier step stay in order.
		const failedHosts = new Set<Target>();
		for (const step of this.options.wizard.steps) {
			if (this.interrupted) {
				return 'interrupted';
			}

			const units = this.units.filter(unit => unit.step === step && !failedHosts.has(unit.target));
			const outcomes = await inPool(units, this.concurrency(), async unit => this.runOrSkip(unit));
			if (this.interrupted) {
				return 'interrupted';
			}

			for (const [index, outcome] of outcomes.entries()) {
				if (outcome === 'abort') {
					// One failing host does not stop the others; its later steps wait for a resume.
					failedHosts.add(units[index]!.target);
				}
			}
		}

		return this.counts.failed > 0 || failedHosts.size > 0 ? 'failed' : 'done';
	}

	/** Parallel only when nobody is asked anything: prompts come one at a time. */
	private concurrency(): number {
		return this.options.yes || !this.options.interactive ? Math.max(1, this.options.forks ?? 5) : 1;
	}

	private async runOrSkip(unit: Unit): Promise<'next' | 'abort'> {
		const previous = this.record.units[unit.key];
		if (previous && finished.has(previous.status) && !this.drifted(unit, previous)) {
			this.count(previous.status === 'changed' ? 'ok' : previous.status);
			return 'next';
		}

		return this.runUnit(unit);
	}

	private count(status: StepStatus): void {
		if (status === 'ok' || status === 'changed' || status === 'failed' || status === 'skipped' || status === 'deferred') {
			this.counts[status]++;
		}
	}

	/** Reads the facts of every unit on each target in one round trip per target, all targets at once. */
	private async prefetch(): Promise<void> {
		const byTarget = new Map<Target, Unit[]>();
		for (const unit of this.units) {
			byTarget.set(unit.target, [...(byTarget.get(unit.target) ?? []), unit]);
		}

		await Promise.all(
			[...byTarget].map(async ([target, units]) => {
				const started = Date.now();
				try {
					const requests = [...preflightFacts.map(request => ({...request, key: `${preflightPrefix}${request.key}`})), ...units.flatMap(unit => this.requests(unit))];
					const facts = await target.facts(requests, this.controller.signal);
					this.cache.set(target, facts);
					this.emit({type: 'facts', target: target.info.label, count: requests.length, ms: Date.now() - started});
					const platform = readPlatform(facts);
					this.emit({type: 'preflight', target: target.info.label, platform: {...platform}, differences: differences(platform)});
				} catch (error) {
					if (this.interrupted) {
						throw error;
					}

					// Not fatal here: each step reads its own facts again and fails with the reason and a remedy.
				}
			}),
		);
	}

	private requests(unit: Unit): FactRequest[] {
		return prefixed(unit.step.id, unit.step.facts(this.context(unit)));
	}

	/** The facts one step asked for, from the shared read when it is still fresh, else read again. */
	private async factsFor(unit: Unit, fresh = false): Promise<Facts> {
		const requests = this.requests(unit);
		let source = fresh ? undefined : this.cache.get(unit.target);
		if (!source || requests.some(request => !source!.has(request.key))) {
			source = await unit.target.facts(requests, this.controller.signal);
		}

		return factsView(source, unit.step.id);
	}

	/** A finished unit that is no longer ok (a change needed again, a check failing) has drifted: say so and run it again. */
	private drifted(unit: Unit, previous: UnitState): boolean {
		if (!this.options.resumed || previous.status === 'skipped' || previous.status === 'deferred') {
			return false;
		}

		const facts = this.cache.get(unit.target);
		if (!facts) {
			return false;
		}

		let verdict: Verdict;
		try {
			verdict = judge(unit.step, this.context(unit), factsView(facts, unit.step.id), unit.target);
		} catch (error) {
			verdict = {kind: 'failed', message: (error as Error).message, remedy: '', checks: []};
		}

		if (verdict.kind === 'ok') {
			return false;
		}

		const summary =
			verdict.kind === 'todo'
				? `${verdict.actions.length} change(s) needed again since this step finished`
				: verdict.kind === 'failed'
					? `it is no longer as wanted: ${verdict.message}`
					: `it waits again: ${verdict.message}`;
		this.emit({type: 'drift', stepId: unit.step.id, target: unit.target.info.label, summary});
		return true;
	}

	private async runUnit(unit: Unit): Promise<'next' | 'abort'> {
		const {step, target} = unit;
		const label = target.info.label;
		for (;;) {
			this.setUnit(unit, 'running', '', {current: unit.key});
			this.emit({type: 'step-start', stepId: step.id, target: label, title: step.title, why: step.why});
			let result: Outcome;
			try {
				result = await this.attempt(unit);
			} catch (error) {
				if (this.interrupted) {
					// The step stays "running": resume re-probes it.
					return 'abort';
				}

				const {message, remedy} = describe(error);
				this.setUnit(unit, 'failed', message);
				this.emit({type: 'step-end', stepId: step.id, target: label, status: 'failed', message, remedy});
				const choice = await this.ask(unit, 'failed', ['retry', 'skip', 'abort']);
				if (choice === 'retry') {
					continue;
				}

				if (choice === 'skip') {
					this.setUnit(unit, 'skipped', `skipped after failing: ${message}`);
					this.count('skipped');
					return 'next';
				}

				this.count('failed');
				return 'abort';
			}

			if (result.status === 'skipped' && result.message === 'abort') {
				// Declined at the prompt: nothing changed, the step is still to do, the run can be resumed.
				this.interrupted = true;
				this.setUnit(unit, 'pending', 'stopped before applying');
				return 'abort';
			}

			this.setUnit(unit, result.status, result.message, {}, result.remedy);
			this.emit({type: 'step-end', stepId: step.id, target: label, status: result.status, message: result.message, ...(result.remedy ? {remedy: result.remedy} : {})});
			this.count(result.status);
			return 'next';
		}
	}

	private async attempt(unit: Unit): Promise<Outcome> {
		const {step, target} = unit;
		const ctx = this.context(unit);
		if (step.risk === 'lockout' && target.live && this.record.units[unit.key]?.attempts) {
			await this.settleArmedGuard(unit);
		}

		const facts = await this.factsFor(unit);
		const plan = step.plan(ctx, facts);
		this.emit({type: 'plan', stepId: step.id, target: target.info.label, plan: showPlan(plan, target.live)});
		const verdict = judgePlan(step, ctx, facts, target, plan);
		if (verdict.kind !== 'todo') {
			// Nothing to apply: the step is exactly what its checks say, the same answer `waymark check` gives.
			return this.settle(unit, verdict);
		}

		if (this.options.dryRun) {
			return {status: 'skipped', message: 'dry run: nothing changed'};
		}

		if (!this.options.yes) {
			const choice = await this.ask(unit, 'confirm', ['apply', 'skip', 'abort']);
			if (choice === 'skip') {
				return {status: 'skipped', message: 'skipped by the operator'};
			}

			if (choice !== 'apply') {
				if (!this.options.interactive) {
					throw new StepFailure(
						`${step.title} needs confirmation and nobody can answer here.`,
						'Pass --yes to apply without asking, or run in a terminal.',
					);
				}

				return {status: 'skipped', message: 'abort'};
			}
		}

		// Anything this unit does may change facts other steps on the same host read.
		this.cache.delete(target);
		const doable = {actions: verdict.actions, notes: plan.notes};
		const guarded = step.risk === 'lockout' && target.live;
		const after = guarded ? await this.applyGuarded(unit, ctx, doable) : (await this.apply(unit, doable), await this.verify(unit, ctx));
		if (after.kind !== 'ok') {
			return {status: after.kind, message: `${summary(doable)}; ${after.message}`, remedy: after.remedy};
		}

		return {status: 'changed', message: summary(doable)};
	}

	/** The outcome of a step that had nothing to apply: ok, or the failing check's evidence, or what waits. */
	private settle(unit: Unit, verdict: Exclude<Verdict, {kind: 'todo'}>): Outcome {
		for (const check of verdict.checks) {
			this.emit({type: 'check', stepId: unit.step.id, target: unit.target.info.label, check});
		}

		switch (verdict.kind) {
			case 'ok': {
				return {status: 'ok', message: verdict.message};
			}

			case 'deferred':
			case 'skipped': {
				return {status: verdict.kind, message: verdict.message, remedy: verdict.remedy};
			}

			case 'failed': {
				throw new StepFailure(verdict.message, verdict.remedy);
			}
		}
	}

	/** Carries out a plan's actions in order (on an offline target the verdict left only files and dirs). */
	private async apply(unit: Unit, plan: Plan): Promise<void> {
		const {target} = unit;
		for (const action of plan.actions) {
			if (this.interrupted) {
				throw new StepFailure('interrupted', 'waymark resume');
			}

			switch (action.kind) {
				case 'file': {
					await target.write(action.path, action.after, {
						mode: action.mode ?? (action.secret ? 0o600 : 0o644),
						forceMode: action.secret,
						backupPath: `/var/backups/waymark/${this.record.id}${action.path}`,
						validateCandidate: target.live ? action.validateCandidate : undefined,
						validateInPlace: target.live ? action.validateInPlace : undefined,
						signal: this.controller.signal,
					});
					break;
				}

				case 'dir': {
					await target.mkdir(action.path, action.mode, this.controller.signal);
					break;
				}

				case 'command': {
					if (!target.live) {
						throw new StepFailure(`${action.title}: ${target.info.label} is offline, commands cannot run there`, 'This is a bug in Waymark: commands are deferred before apply on an offline target.');
					}

					const result = await target.run(action.script, {
						input: action.input,
						signal: this.controller.signal,
						onLine: line => {
							this.output(unit, line);
						},
					});
					if (result.exitCode !== 0) {
						const tail = result.stderr.trim().split('\n').slice(-5).join('\n') || result.stdout.trim().split('\n').slice(-5).join('\n');
						throw new StepFailure(`${action.title} failed with exit code ${result.exitCode}${tail ? `:\n${action.secret ? '(output hidden: the command carries a secret)' : tail}` : ''}`, 'Read the output above (full log: `l`, or the transcript), fix the cause on the host, then retry the step.');
					}

					break;
				}
			}
		}

	}

	private async applyGuarded(unit: Unit, ctx: StepContext, plan: Plan): Promise<Exclude<Verdict, {kind: 'todo' | 'failed'}>> {
		const {step, target} = unit;
		await proveWayBack(target, this.controller.signal);
		// Commands before the first file edit (a module build) change nothing anyone logs in with: they run
		// before the timer starts, so a slow build cannot outlast it.
		const firstFile = plan.actions.findIndex(action => action.kind === 'file');
		const before = firstFile === -1 ? [] : plan.actions.slice(0, firstFile);
		await this.apply(unit, {actions: before, notes: []});
		const rest = {actions: plan.actions.slice(before.length), notes: plan.notes};
		const files = rest.actions.filter((action): action is Extract<Action, {kind: 'file'}> => action.kind === 'file');
		const guard = await armRollback(target, {
			id: guardId(this.record.id, step.id),
			files,
			guard: step.guard?.(ctx),
			seconds: this.options.guardSeconds ?? 120,
		});
		try {
			await this.apply(unit, rest);
			await proveWayBack(target, this.controller.signal, 5).catch((error: unknown) => {
				throw new StepFailure(
					`After the change, a new login to ${target.info.label} failed, so the previous settings were restored and the step failed. ${(error as Error).message.replace(/^Refused before changing anything: /, '')}`,
					'Check that the key you log in with is in a file the new settings still read (AuthorizedKeysFile), or change the answers, then retry.',
				);
			});
			const verdict = await this.verify(unit, ctx);
			await guard.disarm();
			return verdict;
		} catch (error) {
			await guard.rollback();
			throw error;
		}
	}

	/**
	 * A lockout step cut off by a crash may have left its rollback armed. Before anything else, prove the way back:
	 * if it works the change is kept (disarmed), else the previous state comes back now.
	 */
	private async settleArmedGuard(unit: Unit): Promise<void> {
		const armed = await armedGuard(unit.target, guardId(this.record.id, unit.step.id));
		if (!armed) {
			return;
		}

		try {
			await proveWayBack(unit.target, this.controller.signal, 5);
		} catch {
			await armed.rollback();
			this.emit({type: 'drift', stepId: unit.step.id, target: unit.target.info.label, summary: 'the run stopped while this change was being tried and a new login failed: the previous settings were restored'});
			return;
		}

		await armed.disarm();
	}

	/** After apply: read afresh; the plan must now be empty and every check must pass (or wait for the live host). */
	private async verify(unit: Unit, ctx: StepContext): Promise<Exclude<Verdict, {kind: 'todo' | 'failed'}>> {
		const facts = await this.factsFor(unit, true);
		const verdict = judge(unit.step, ctx, facts, unit.target);
		for (const check of verdict.kind === 'todo' ? [] : verdict.checks) {
			this.emit({type: 'check', stepId: unit.step.id, target: unit.target.info.label, check});
		}

		switch (verdict.kind) {
			case 'todo': {
				throw new StepFailure(
					`${unit.step.title}: after applying, the host still differs (${verdict.actions.length} change(s) still planned).`,
					'Something on the host undoes the change or it did not take effect; read the output above, fix it, then retry.',
				);
			}

			case 'failed': {
				throw new StepFailure(`${unit.step.title}: verification failed: ${verdict.message.replace(`${unit.step.title}: `, '')}`, verdict.remedy);
			}

			default: {
				return verdict;
			}
		}
	}
}

function summary(plan: Plan): string {
	const files = plan.actions.filter(action => action.kind === 'file').length;
	const dirs = plan.actions.filter(action => action.kind === 'dir').length;
	const commands = plan.actions.filter(action => action.kind === 'command').length;
	return [files && `${files} file(s) written`, dirs && `${dirs} dir(s) made`, commands && `${commands} command(s) run`].filter(Boolean).join(', ');
}

function describe(error: unknown): {message: string; remedy: string} {
	if (error instanceof StepFailure || error instanceof TargetError) {
		return {message: error.message, remedy: error.remedy};
	}

	return {message: (error as Error).message ?? String(error), remedy: 'This looks like a bug in Waymark; the transcript has the details. Retry, or skip the step.'};
}

/** Runs `work` over `items` with at most `limit` at once; results keep the items' order. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = Array.from({length: items.length});
	let next = 0;
	const lane = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, lane));
	return results;
}
