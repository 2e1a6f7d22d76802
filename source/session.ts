// A session binds a wizard to targets and answers, checks all of it before anything runs, and starts the runner.
import {resolve} from 'node:path';
import {recordedAnswers} from './answers-file.js';
import type {RunChannel, StartRequest} from './engine/channel.js';
import {writeFileAtomic} from './store/atomic-file.js';
import {UsageError} from './engine/errors.js';
import {resolveAnswers} from './engine/params.js';
import {startRun} from './engine/runner.js';
import type {Answers, Param, ParamValue, Wizard} from './engine/types.js';
import {openTarget} from './targets/open-target.js';
import {parseTargetSpec, specLabel, type TargetSpec} from './targets/spec.js';
import type {Target} from './engine/target.js';
import {RunStore, type RunRecord} from './store/runs.js';
import {SecretStore} from './store/secrets.js';
import {DiskVault} from './store/vault.js';
import {MemoryVault} from './engine/memory-vault.js';
import {Transcript, transcriptPath} from './store/transcript.js';
import {checkCommand} from './run-command.js';

export interface SessionOptions {
	readonly home: string;
	readonly yes: boolean;
	readonly dryRun: boolean;
	readonly interactive: boolean;
	readonly sshConfig?: string;
	readonly become?: boolean;
	/** The sudo password, asked once by the UI; kept in memory only. */
	readonly becomePassword?: string;
	readonly guardSeconds?: number;
	/** Hosts that run the same step at once, when nobody is asked anything (default 5). */
	readonly forks?: number;
	/** Run only these steps (ids), e.g. the ones `waymark check` says fix a problem. */
	readonly only?: readonly string[];
	/** Write the answers this run uses to this file (secrets left out), to replay the run elsewhere with --yes. */
	readonly saveAnswers?: string;
}

/** Parses `[ROLE=]SPEC` flags into role → specs; a single-role wizard takes a bare SPEC. */
export function parseBindings(wizard: Wizard, flags: readonly string[]): Record<string, string[]> {
	const bindings: Record<string, string[]> = {};
	for (const flag of flags) {
		const match = /^([a-z][\w-]*)=(.+)$/.exec(flag);
		let role: string;
		let spec: string;
		if (match && !flag.startsWith('ssh:') && !flag.startsWith('root:')) {
			role = match[1]!;
			spec = match[2]!;
		} else if (wizard.roles.length === 1) {
			role = wizard.roles[0]!;
			spec = flag;
		} else {
			throw new UsageError(
				`--target ${flag}: ${wizard.id} has several roles (${wizard.roles.join(', ')}), so say which one`,
				`Write it as --target ROLE=SPEC, e.g. --target ${wizard.roles[0]}=${flag}.`,
			);
		}

		bindings[role] = [...(bindings[role] ?? []), spec];
	}

	return bindings;
}

/** Checks every binding and answer; throws one UsageError listing all problems, before anything runs. */
export function checkRequest(
	wizard: Wizard,
	request: StartRequest,
	options: {yes: boolean},
): {specs: Map<string, TargetSpec[]>; answers: Answers; missing: Param[]} {
	const problems: string[] = [];
	const specs = new Map<string, TargetSpec[]>();
	for (const role of Object.keys(request.bindings)) {
		if (!wizard.roles.includes(role)) {
			problems.push(`--target ${role}=…: ${wizard.id} has no role ${role}; its roles: ${wizard.roles.join(', ')}`);
		}
	}

	for (const role of wizard.roles) {
		const texts = request.bindings[role] ?? [];
		if (texts.length === 0) {
			problems.push(`role ${role}: no target; pass --target ${wizard.roles.length > 1 ? `${role}=` : ''}SPEC (local, ssh:[USER@]HOST[:PORT] or root:DIR)`);
		}

		const parsed: TargetSpec[] = [];
		for (const text of texts) {
			const {spec, error} = parseTargetSpec(text);
			if (error) {
				problems.push(`role ${role}: ${error}`);
			} else if (spec && parsed.some(other => specLabel(other) === specLabel(spec))) {
				// The same host twice in one role would run each step twice on it at once.
				problems.push(`role ${role}: ${specLabel(spec)} is bound twice; list each host once`);
			} else if (spec) {
				parsed.push(spec);
			}
		}

		specs.set(role, parsed);
	}

	const {answers, errors, missing} = resolveAnswers(wizard, request.answers);
	problems.push(...errors.map(error => error.message));
	if (options.yes && missing.length > 0) {
		problems.push(...missing.map(param => `${param.name}: missing (${param.help}); add it to the answers file`));
	}

	if (problems.length > 0) {
		throw new UsageError(
			`Nothing was run; these inputs need fixing:\n${problems.map(problem => `  - ${problem}`).join('\n')}`,
			`Fix them and run the same command again (\`waymark answers ${wizard.id}\` writes an answers file with every param).`,
		);
	}

	return {specs, answers, missing};
}

export function openTargets(specs: Map<string, TargetSpec[]>, options: SessionOptions): Map<string, Target[]> {
	// The same host bound to two roles shares one target and so one connection.
	const byLabel = new Map<string, Target>();
	const targets = new Map<string, Target[]>();
	for (const [role, list] of specs) {
		targets.set(
			role,
			list.map(spec => {
				const label = specLabel(spec);
				const existing = byLabel.get(label);
				if (existing) {
					return existing;
				}

				const target = openTarget(spec, {sshConfig: options.sshConfig, become: options.become ?? false, password: options.becomePassword});
				byLabel.set(label, target);
				return target;
			}),
		);
	}

	return targets;
}

/** Closes each connection once, even when a host is bound to several roles. */
export async function closeTargets(targets: ReadonlyMap<string, readonly Target[]>): Promise<void> {
	await Promise.all([...new Set([...targets.values()].flat())].map(async target => target.close().catch(() => undefined)));
}

/** Answers safe to keep in run state: everything but secret params. */
function storableAnswers(wizard: Wizard, answers: Answers): Record<string, ParamValue> {
	const secret = new Set(wizard.params.filter(param => param.type === 'secret').map(param => param.name));
	return Object.fromEntries(Object.entries(answers).filter(([name]) => !secret.has(name)));
}

function launch(wizard: Wizard, record: RunRecord, specs: Map<string, TargetSpec[]>, answers: Answers, options: SessionOptions, resumed: boolean): RunChannel {
	const store = new RunStore(options.home);
	const secretStore = new SecretStore(options.home, record.id);
	const secrets = new Map<string, string>();
	// A dry run's vault keeps what it makes in memory: it sees the keys kept on disk and writes none.
	const vault = options.dryRun ? new MemoryVault(new DiskVault()) : new DiskVault();
	const prepare = async () => {
		for (const spec of wizard.secrets ?? []) {
			// A dry run shows plans with secrets masked, so a throwaway value is enough and nothing is stored.
			secrets.set(
				spec.name,
				options.dryRun ? await spec.generate(answers, vault) : await secretStore.getOrCreate(spec.name, async () => spec.generate(answers, vault)),
			);
		}
	};

	const extraSecrets = options.becomePassword ? [options.becomePassword] : [];
	const path = transcriptPath(options.home, record.id);
	const transcript = options.dryRun ? undefined : new Transcript(path);
	const targets = openTargets(specs, options);
	const channel = startRun({
		wizard,
		record,
		targets,
		answers,
		secrets,
		store: options.dryRun ? undefined : store,
		transcript,
		transcriptPath: path,
		yes: options.yes,
		dryRun: options.dryRun,
		interactive: options.interactive,
		resumed,
		guardSeconds: options.guardSeconds,
		forks: options.forks,
		extraSecrets,
		prepare,
	});
	return {
		...channel,
		checkCommand: checkCommand(wizard, {bindings: record.bindings, sshConfig: options.sshConfig}),
		done: channel.done.finally(async () => closeTargets(targets)),
	};
}

/** The wizard cut down to the asked steps, in their usual order; an unknown id is a usage error. */
export function onlySteps(wizard: Wizard, only: readonly string[] | undefined): Wizard {
	if (!only || only.length === 0) {
		return wizard;
	}

	const known = new Set(wizard.steps.map(step => step.id));
	const unknown = only.filter(id => !known.has(id));
	if (unknown.length > 0) {
		throw new UsageError(`--only ${unknown.join(',')}: ${wizard.id} has no such step`, `Its steps: ${[...known].join(', ')}.`);
	}

	return {...wizard, steps: wizard.steps.filter(step => only.includes(step.id))};
}

export function startSession(full: Wizard, request: StartRequest, options: SessionOptions): RunChannel {
	const only = request.only ?? options.only;
	const wizard = onlySteps(full, only);
	const {specs, answers, missing} = checkRequest(wizard, request, options);
	if (missing.length > 0) {
		throw new UsageError(
			`Missing answers: ${missing.map(param => param.name).join(', ')}`,
			'Give them in the form, an answers file (--answers FILE), or pass --yes to see them all listed.',
		);
	}

	if (options.saveAnswers) {
		writeFileAtomic(resolve(options.saveAnswers), recordedAnswers(full, answers), 0o600);
	}

	const store = new RunStore(options.home);
	const id = store.newId(wizard.id);
	const bindings = Object.fromEntries([...specs].map(([role, list]) => [role, list.map(spec => specLabel(spec))]));
	const draft = {
		id,
		guide: wizard.id,
		status: 'running' as const,
		bindings,
		answers: storableAnswers(wizard, answers),
		options: {sshConfig: options.sshConfig, become: options.become, ...(only?.length ? {only} : {})},
		units: {},
		order: [],
	};
	const record = options.dryRun ? {...draft, created: '', updated: ''} : store.create(draft);
	return launch(wizard, record, specs, answers, options, false);
}

/** Continues a saved run. Secret answers are not stored, so they come in `secretAnswers`. */
export function resumeSession(full: Wizard, record: RunRecord, secretAnswers: Readonly<Record<string, unknown>>, options: SessionOptions): RunChannel {
	const wizard = onlySteps(full, record.options.only);
	const request: StartRequest = {guide: record.guide, bindings: record.bindings, answers: {...record.answers, ...secretAnswers}};
	const {specs, answers} = checkRequest(wizard, request, {yes: true});
	return launch(
		wizard,
		record,
		specs,
		answers,
		{...options, sshConfig: options.sshConfig ?? record.options.sshConfig, become: options.become ?? record.options.become},
		true,
	);
}
