// `waymark check GUIDE`: read-only findings per host, with the step that fixes each one.
import {checkHosts, failed, type Finding} from './engine/checker.js';
import {exitCodes, UsageError} from './engine/errors.js';
import type {CheckReport, StartRequest} from './engine/channel.js';
import type {Wizard} from './engine/types.js';
import {checkLines} from './plain/check-lines.js';
import {checkRequest, closeTargets, openTargets} from './session.js';
import {RunStore} from './store/runs.js';
import {quote} from './targets/quote.js';

export interface CheckCommandOptions {
	readonly home: string;
	readonly bindings: Record<string, string[]>;
	/** From --answers; else the answers of the newest saved run of this guide. */
	readonly answers?: Record<string, unknown>;
	readonly sshConfig?: string;
	readonly become?: boolean;
	readonly json: boolean;
}

/** Answers of the newest saved run of this guide, preferring one bound to the same targets. */
function savedAnswers(home: string, guide: string, bindings: Record<string, string[]>): Record<string, unknown> | undefined {
	const store = new RunStore(home);
	const runs = store
		.list()
		.filter(run => run.guide === guide)
		.map(run => store.load(run.id)!)
		.filter(Boolean);
	const same = runs.filter(run => JSON.stringify(run.bindings) === JSON.stringify(bindings));
	return (same.at(-1) ?? runs.at(-1))?.answers;
}

/** Reads every bound host once and returns the findings; used by `waymark check` and the TUI. */
export async function checkSession(wizard: Wizard, request: StartRequest, options: {home: string; sshConfig?: string; become?: boolean}): Promise<CheckReport> {
	const raw = Object.keys(request.answers).length > 0 ? request.answers : savedAnswers(options.home, wizard.id, request.bindings as Record<string, string[]>);
	if (!raw && wizard.params.some(param => param.default === undefined && !param.optional)) {
		throw new UsageError(`check needs the answers the host was set up with.`, `Pass --answers FILE (\`waymark answers ${wizard.id}\` writes one), or run the guide once with Waymark so its answers are saved.`);
	}

	const {specs, answers} = checkRequest(wizard, {guide: wizard.id, bindings: request.bindings, answers: raw ?? {}}, {yes: true});
	const targets = openTargets(specs, {home: options.home, yes: true, dryRun: true, interactive: false, sshConfig: options.sshConfig, become: options.become});
	try {
		return await checkHosts({wizard, targets, answers});
	} finally {
		await closeTargets(targets);
	}
}

export async function runCheck(wizard: Wizard, options: CheckCommandOptions): Promise<number> {
	const {findings, platforms} = await checkSession(wizard, {guide: wizard.id, bindings: options.bindings, answers: options.answers ?? {}}, options);
	const fixCommand = (finding: Finding) =>
		['waymark run', wizard.id, ...Object.entries(options.bindings).flatMap(([role, list]) => list.map(spec => `--target ${quote(wizard.roles.length > 1 ? `${role}=${spec}` : spec)}`)), ...(options.sshConfig ? [`--ssh-config ${quote(options.sshConfig)}`] : []), `--only ${finding.stepId}`].join(' ');
	if (options.json) {
		for (const finding of findings) {
			process.stdout.write(`${JSON.stringify({type: 'check', target: finding.target, stepId: finding.stepId, ...finding.check, ...(finding.fix ? {fix: finding.fix, fixCommand: fixCommand(finding)} : {})})}\n`);
		}
	} else {
		for (const {target, platform, differences} of platforms) {
			process.stdout.write(`${target}: ${platform.distribution}, kernel ${platform.kernel}, ${platform.init}, cgroup ${platform.cgroup}, firewall ${platform.firewall}\n`);
			for (const difference of differences) {
				process.stdout.write(`  differs from the guide: ${difference}\n`);
			}
		}

		process.stdout.write(`${checkLines(findings, fixCommand).join('\n')}\n`);
	}

	return failed(findings) ? exitCodes.failed : exitCodes.done;
}
