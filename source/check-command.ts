// `waymark check GUIDE`: read-only findings per host, with the step that fixes each one.
import {join} from 'node:path';
import {stringify} from 'yaml';
import {checkHosts, failed, type Finding} from './engine/checker.js';
import {exitCodes, UsageError} from './engine/errors.js';
import type {CheckReport, StartRequest} from './engine/channel.js';
import type {Wizard} from './engine/types.js';
import {checkLines} from './plain/check-lines.js';
import {checkRequest, closeTargets, openTargets} from './session.js';
import {RunStore, type RunRecord} from './store/runs.js';
import {SecretStore} from './store/secrets.js';
import {runCommand} from './run-command.js';
import {privateDir, writeFileAtomic} from './store/atomic-file.js';

export interface CheckCommandOptions {
	readonly home: string;
	readonly bindings: Record<string, string[]>;
	/** From --answers; else the answers of the newest saved run of this guide. */
	readonly answers?: Record<string, unknown>;
	/** The --answers file, so the fix commands printed name it. */
	readonly answersFile?: string;
	readonly sshConfig?: string;
	readonly become?: boolean;
	readonly json: boolean;
}

/** Saved runs of this guide, oldest first, those bound to the same targets last (so they win). */
function savedRuns(home: string, guide: string, bindings: Record<string, string[]>): RunRecord[] {
	const store = new RunStore(home);
	const runs = store
		.list()
		.filter(run => run.guide === guide)
		.map(run => store.load(run.id))
		.filter((run): run is RunRecord => run !== undefined);
	const same = (run: RunRecord) => JSON.stringify(run.bindings) === JSON.stringify(bindings);
	return [...runs.filter(run => !same(run)), ...runs.filter(run => same(run))];
}

/**
 * Each secret of the guide as the newest run that made it stored it: check judges the key files the run wrote
 * with the same keys, so the two agree. Nothing is generated (check writes nothing); a secret no run made stays out.
 */
export function savedSecrets(home: string, wizard: Wizard, bindings: Record<string, string[]>): Map<string, string> {
	const stores = savedRuns(home, wizard.id, bindings)
		.reverse()
		.map(run => new SecretStore(home, run.id));
	const secrets = new Map<string, string>();
	for (const spec of wizard.secrets ?? []) {
		const value = stores.map(store => store.get(spec.name)).find(each => each !== undefined);
		if (value !== undefined) {
			secrets.set(spec.name, value);
		}
	}

	return secrets;
}

/** Reads every bound host once and returns the findings; used by `waymark check` and the TUI. */
export async function checkSession(wizard: Wizard, request: StartRequest, options: {home: string; sshConfig?: string; become?: boolean}): Promise<CheckReport> {
	const bindings = request.bindings as Record<string, string[]>;
	const raw = Object.keys(request.answers).length > 0 ? request.answers : savedRuns(options.home, wizard.id, bindings).at(-1)?.answers;
	if (!raw && wizard.params.some(param => param.default === undefined && !param.optional)) {
		throw new UsageError(
			`check needs the answers the host was set up with.`,
			`Pass --answers FILE (\`waymark answers ${wizard.id}\` writes one), or run the guide once with Waymark so its answers are saved.`,
		);
	}

	const {specs, answers} = checkRequest(wizard, {guide: wizard.id, bindings: request.bindings, answers: raw ?? {}}, {yes: true});
	const targets = openTargets(specs, {home: options.home, yes: true, dryRun: true, interactive: false, sshConfig: options.sshConfig, become: options.become});
	try {
		return await checkHosts({wizard, targets, answers, secrets: savedSecrets(options.home, wizard, bindings)});
	} finally {
		await closeTargets(targets);
	}
}

/**
 * The answers of the run a check borrowed them from, as a file the printed fix commands can name (secret answers
 * are never saved, so a fix that needs one asks for it). Undefined when no run of the guide was saved.
 */
function savedAnswersFile(home: string, wizard: Wizard, bindings: Record<string, string[]>): string | undefined {
	const run = savedRuns(home, wizard.id, bindings).at(-1);
	if (!run) {
		return undefined;
	}

	const dir = join(home, 'answers');
	const file = join(dir, `${run.id}.yaml`);
	privateDir(dir);
	writeFileAtomic(file, `# The answers of run ${run.id}, for the commands \`waymark check\` prints.\n${stringify(run.answers)}`, 0o600);
	return file;
}

export async function runCheck(wizard: Wizard, options: CheckCommandOptions): Promise<number> {
	const {findings, platforms} = await checkSession(wizard, {guide: wizard.id, bindings: options.bindings, answers: options.answers ?? {}}, options);
	const answersFile = options.answersFile ?? savedAnswersFile(options.home, wizard, options.bindings);
	// What is printed runs as printed: the same targets, ssh config and answers as this check.
	const fixCommand = (finding: Finding) =>
		runCommand(wizard, {bindings: options.bindings, sshConfig: options.sshConfig, answersFile, extra: [`--only ${finding.stepId}`]});
	if (options.json) {
		for (const finding of findings) {
			process.stdout.write(
				`${JSON.stringify({type: 'check', target: finding.target, stepId: finding.stepId, ...finding.check, ...(finding.fix ? {fix: finding.fix, fixCommand: fixCommand(finding)} : {})})}\n`,
			);
		}
	} else {
		for (const {target, platform, differences} of platforms) {
			process.stdout.write(
				`${target}: ${platform.distribution}, kernel ${platform.kernel}, ${platform.init}, cgroup ${platform.cgroup}, firewall ${platform.firewall}\n`,
			);
			for (const difference of differences) {
				process.stdout.write(`  differs from the guide: ${difference}\n`);
			}
		}

		process.stdout.write(`${checkLines(findings, fixCommand).join('\n')}\n`);
	}

	return failed(findings) ? exitCodes.failed : exitCodes.done;
}
