#!/usr/bin/env node
// argv → command and mode. The one exit site of the program.
// Only what every command needs is imported up front: the guides, the engine, Ink and the YAML parser load when a
// command uses them, so `--help` and a usage error answer at once and the bundle's chunks load on demand.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {waitingLines} from './wording/index.js';
import {UsageError, exitCodes} from './engine/errors.js';
import type {RunChannel} from './engine/channel.js';
import type {Param, RunStatus, Wizard} from './engine/types.js';
import {didYouMean} from './closest.js';
import {helpText} from './help.js';
import {isInteractive} from './interactive.js';
import {inventoryBindings} from './inventory.js';
import type {SessionOptions} from './session.js';
import {waymarkHome} from './store/home.js';
import {RunStore} from './store/runs.js';

const options = {
	target: {type: 'string', multiple: true},
	answers: {type: 'string'},
	yes: {type: 'boolean', short: 'y'},
	'dry-run': {type: 'boolean'},
	plain: {type: 'boolean'},
	json: {type: 'boolean'},
	'ssh-config': {type: 'string', short: 'F'},
	become: {type: 'boolean'},
	'guard-seconds': {type: 'string'},
	only: {type: 'string', multiple: true},
	forks: {type: 'string'},
	inventory: {type: 'string', short: 'i'},
	'save-answers': {type: 'string'},
	out: {type: 'string', short: 'o'},
	check: {type: 'boolean'},
	'vault-password-file': {type: 'string'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean'},
} as const;

type Flags = ReturnType<typeof parseArgs<{options: typeof options; allowPositionals: true}>>['values'];

const commands = ['list', 'answers', 'run', 'resume', 'runs', 'check', 'export', 'help'];

/** Below this, a rollback could fire while the fresh login and the checks after a change are still running. */
const minGuardSeconds = 15;

const statusExit: Record<RunStatus, number> = {
	done: exitCodes.done,
	failed: exitCodes.failed,
	interrupted: exitCodes.interrupted,
	running: exitCodes.interrupted,
};

async function main(argv: readonly string[]): Promise<number> {
	// An unknown flag is named with the nearest real one, before Node's own wording gets a chance.
	for (const arg of argv) {
		if (arg === '--') {
			break;
		}

		const name = /^--([^=]+)/.exec(arg)?.[1];
		if (name !== undefined && !(name in options)) {
			throw new UsageError(`Unknown option --${name}.${didYouMean(name, Object.keys(options), each => `--${each}`)}`, 'See `waymark --help` for every option.');
		}
	}

	let parsed: ReturnType<typeof parseArgs<{options: typeof options; allowPositionals: true}>>;
	try {
		parsed = parseArgs({args: [...argv], options, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError((error as Error).message, 'See `waymark --help`.');
	}

	const {values: flags, positionals} = parsed;
	const [command, ...rest] = positionals;
	if (flags.help || command === 'help') {
		process.stdout.write(helpText(command === 'help' ? rest[0] : command));
		return exitCodes.done;
	}

	if (flags.version) {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url).pathname.replace('/dist/package.json', '/package.json'), 'utf8')) as {
			version: string;
		};
		process.stdout.write(`${pkg.version}\n`);
		return exitCodes.done;
	}

	const home = waymarkHome();
	// --plain changes the look, not whether someone is there to answer; --json is for scripts.
	const interactive = !flags.json && isInteractive();
	switch (command) {
		case undefined: {
			if (!isInteractive()) {
				throw new UsageError(
					'The home screen needs a terminal.',
					'Use `waymark list`, `waymark run GUIDE --yes …` or `waymark resume RUN_ID --yes` here; see `waymark --help`.',
				);
			}

			const {render} = await import('./render.js');
			return render({kind: 'home', home, flags: sessionFlags(flags, home, true)});
		}

		case 'list': {
			return list(Boolean(flags.json));
		}

		case 'answers': {
			const wizard = await requireWizard(rest[0]);
			const {answersTemplate} = await import('./answers-file.js');
			process.stdout.write(answersTemplate(wizard));
			return exitCodes.done;
		}

		case 'runs': {
			return runs(home, Boolean(flags.json));
		}

		case 'run': {
			const wizard = await requireWizard(rest[0]);
			const answers = flags.answers ? await readAnswers(flags.answers) : {};
			const bindings = await bindingsFrom(wizard, flags);
			const session = {...sessionFlags(flags, home, interactive), becomePassword: await becomePassword(flags, interactive)};
			if (interactive && !flags.plain && !flags.yes && (await missingAnswers(wizard, bindings, answers, session)).length > 0) {
				// One prompt system in the TUI: what is missing is asked in its form, with what was given filled in.
				const {render} = await import('./render.js');
				return render({kind: 'home', home, flags: session, initial: {screen: 'guide', guide: wizard.id, bindings, answers, form: true}});
			}

			return finish(async () => withMissingAnswers(wizard, bindings, answers, session, flags), flags, interactive);
		}

		case 'check': {
			const wizard = await requireWizard(rest[0]);
			const {runCheck} = await import('./check-command.js');
			return runCheck(wizard, {
				home,
				bindings: await bindingsFrom(wizard, flags),
				answers: flags.answers ? await readAnswers(flags.answers) : undefined,
				...(flags.answers ? {answersFile: flags.answers} : {}),
				sshConfig: flags['ssh-config'],
				become: flags.become,
				json: Boolean(flags.json),
			});
		}

		case 'export': {
			if (rest[0] !== 'ansible') {
				throw new UsageError(
					`waymark export ${rest[0] ?? ''}: ${rest[0] === undefined ? 'say what to export to' : 'Waymark exports to Ansible only'}.`,
					'For example: waymark export ansible uwsgi-node --answers answers.yml --inventory hosts --out uwsgi-node-ansible',
				);
			}

			const wizard = await requireWizard(rest[1]);
			const {exportAnsible} = await import('./export/export-command.js');
			const guardSeconds = sessionFlags(flags, home, false).guardSeconds ?? 120;
			return exportAnsible(wizard, {
				answers: flags.answers ? await readAnswers(flags.answers) : {},
				bindings: await bindingsFrom(wizard, flags),
				...(flags.inventory ? {inventory: readText(flags.inventory, '--inventory', 'An Ansible INI inventory: [group] then one host per line.')} : {}),
				...(flags.out ? {out: flags.out} : {}),
				check: Boolean(flags.check),
				...(flags['vault-password-file'] ? {vaultPasswordFile: flags['vault-password-file']} : {}),
				guardSeconds,
				write: text => process.stdout.write(text),
			});
		}

		case 'resume': {
			const store = new RunStore(home);
			const id =
				rest[0] ??
				store
					.list()
					.filter(run => run.status !== 'done')
					.at(-1)?.id;
			if (!id) {
				throw new UsageError('There is no unfinished run to resume.', 'See `waymark runs`, or start one with `waymark run GUIDE`.');
			}

			const record = store.load(id);
			if (!record) {
				throw new UsageError(`No saved run ${id}.`, 'See `waymark runs` for the ids.');
			}

			const wizard = await requireWizard(record.guide);
			const session = {...sessionFlags(flags, home, interactive), becomePassword: await becomePassword(flags, interactive)};
			const secretParams = wizard.params.filter(param => param.type === 'secret');
			const secretAnswers: Record<string, unknown> = flags.answers
				? pick(
						await readAnswers(flags.answers),
						secretParams.map(param => param.name),
					)
				: {};
			// Secret answers are never stored, so a resume asks for them again (on a terminal) or needs --answers.
			const unanswered = secretParams.filter(param => secretAnswers[param.name] === undefined && param.default === undefined && !param.optional);
			if (unanswered.length > 0 && interactive) {
				const {askParams} = await import('./plain/index.js');
				Object.assign(secretAnswers, await askParams(unanswered, {stdin: process.stdin, stdout: process.stdout}));
			}

			const {resumeSession} = await import('./session.js');
			return finish(() => resumeSession(wizard, record, secretAnswers, session), flags, interactive);
		}

		default: {
			throw new UsageError(
				`Unknown command ${JSON.stringify(command)}.${didYouMean(command, commands)}`,
				`The commands are ${commands.join(', ')}; see \`waymark --help\`.`,
			);
		}
	}
}

/** With --become on a terminal, sudo's password is asked once here and kept in memory only; else sudo must not need one. */
async function becomePassword(flags: Flags, interactive: boolean): Promise<string | undefined> {
	if (!flags.become || !interactive) {
		return undefined;
	}

	const {askText} = await import('./plain/enquirer-prompts.js');
	const password = await askText(
		'become',
		'sudo password on the targets (empty if sudo needs none)',
		{stdin: process.stdin, stdout: process.stdout},
		{secret: true},
	);
	return password === '' ? undefined : password;
}

function sessionFlags(flags: Flags, home: string, interactive: boolean): SessionOptions {
	const guard = flags['guard-seconds'];
	// A rollback that fires before a fresh login and the checks can finish would undo every good change.
	if (guard !== undefined && (!/^\d{1,5}$/.test(guard) || Number(guard) < minGuardSeconds)) {
		throw new UsageError(
			`--guard-seconds ${guard}: expected a whole number of seconds, at least ${minGuardSeconds}`,
			'For example --guard-seconds 120 (the default).',
		);
	}

	const only = flags.only?.flatMap(value => value.split(',')).map(value => value.trim());
	if (only !== undefined && (only.length === 0 || only.some(value => value === ''))) {
		throw new UsageError(
			`--only ${JSON.stringify(flags.only?.join(','))}: name the steps to run, separated by commas`,
			'For example --only sshd-hardening,tuntap-firewall; `waymark help run` lists how to find step ids (they are in `waymark list --json`).',
		);
	}

	const forks = flags.forks;
	if (forks !== undefined && !/^[1-9]\d{0,2}$/.test(forks)) {
		throw new UsageError(`--forks ${forks}: expected a whole number from 1 to 999`, 'For example --forks 5 (hosts that run the same step at once).');
	}

	return {
		home,
		forks: forks === undefined ? undefined : Number(forks),
		yes: Boolean(flags.yes),
		dryRun: Boolean(flags['dry-run']),
		interactive,
		sshConfig: flags['ssh-config'],
		become: flags.become,
		guardSeconds: guard === undefined ? undefined : Number(guard),
		only,
		...(flags['save-answers'] ? {saveAnswers: flags['save-answers']} : {}),
	};
}

/** The params that neither the answers nor a default give (bad input and bindings throw here, naming every field). */
async function missingAnswers(wizard: Wizard, bindings: Record<string, string[]>, answers: Record<string, unknown>, session: SessionOptions): Promise<Param[]> {
	const {checkRequest} = await import('./session.js');
	return checkRequest(wizard, {guide: wizard.id, bindings, answers}, {yes: session.yes || !session.interactive}).missing;
}

/** Starts the run; missing answers are asked for on a terminal, or listed all at once otherwise. */
async function withMissingAnswers(
	wizard: Wizard,
	bindings: Record<string, string[]>,
	answers: Record<string, unknown>,
	session: SessionOptions,
	flags: Flags,
): Promise<RunChannel> {
	const {checkRequest, startSession} = await import('./session.js');
	const request = {guide: wizard.id, bindings, answers};
	const {missing} = checkRequest(wizard, request, {yes: session.yes || !session.interactive});
	if (missing.length > 0) {
		const {askParams} = await import('./plain/index.js');
		const asked = await askParams(missing, {stdin: process.stdin, stdout: flags.json ? process.stderr : process.stdout});
		return startSession(wizard, {...request, answers: {...answers, ...asked}}, session);
	}

	return startSession(wizard, request, session);
}

/**
 * Loads the renderer first, then starts the run and subscribes to it at once: a renderer still loading while the run
 * emits would miss its first events.
 */
async function finish(start: () => RunChannel | Promise<RunChannel>, flags: Flags, interactive: boolean): Promise<number> {
	const mode = flags.json ? 'json' : flags.plain || !interactive ? 'plain' : 'tui';
	const plain = mode === 'tui' ? undefined : await import('./plain/index.js');
	const tui = mode === 'tui' ? await import('./render.js') : undefined;
	const channel = await start();
	const stop = () => {
		channel.interrupt();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	process.once('SIGHUP', stop);
	if (tui) {
		return tui.render({kind: 'run', channel});
	}

	if (mode === 'json') {
		plain!.renderJson(channel, process.stdout);
	} else {
		plain!.renderPlain(channel, {stdout: process.stdout, stdin: process.stdin, interactive});
	}

	return statusExit[await channel.done];
}

async function list(json: boolean): Promise<number> {
	const {wizards} = await import('../wizards/index.js');
	const rows = wizards.map(wizard => ({
		id: wizard.id,
		title: wizard.title,
		roles: wizard.roles,
		steps: wizard.steps.length,
		notDoneHere: wizard.notDoneHere ?? [],
	}));
	if (json) {
		process.stdout.write(`${JSON.stringify(rows)}\n`);
	} else {
		const width = Math.max(...rows.map(row => row.id.length));
		for (const row of rows) {
			const omitted = row.notDoneHere.length === 0 ? '' : `; ${row.notDoneHere.length} of the guide's instructions not done here`;
			process.stdout.write(`${row.id.padEnd(width)}  ${row.title}  (roles: ${row.roles.join(', ')}; ${row.steps} steps${omitted})\n`);
		}

		if (rows.some(row => row.notDoneHere.length > 0)) {
			process.stdout.write('What is not done, and why: the guide overview in `waymark`, or `waymark list --json`.\n');
		}
	}

	return exitCodes.done;
}

function runs(home: string, json: boolean): number {
	const {runs: all, unreadable} = new RunStore(home).scan();
	// A broken file is named with what to do about it, and never hides the other runs.
	for (const problem of unreadable) {
		process.stderr.write(`waymark: ${problem.message}\n${problem.remedy}\n`);
	}

	if (json) {
		process.stdout.write(`${JSON.stringify(all)}\n`);
		return exitCodes.done;
	}

	if (all.length === 0) {
		process.stdout.write('No saved runs. Start one with `waymark run GUIDE`.\n');
	}

	for (const run of all) {
		process.stdout.write(`${run.id}  ${run.guide}  ${run.targets}  ${run.status}  ${run.done}/${run.total}  last: ${run.lastStep || '-'}  ${run.updated}\n`);
		for (const line of waitingLines(run)) {
			process.stdout.write(`${line}\n`);
		}
	}

	return exitCodes.done;
}

async function requireWizard(id: string | undefined): Promise<Wizard> {
	const {wizards, findWizard} = await import('../wizards/index.js');
	if (!id) {
		throw new UsageError('Which guide?', `Name one of: ${wizards.map(wizard => wizard.id).join(', ')} (see \`waymark list\`).`);
	}

	const wizard = findWizard(id);
	if (!wizard) {
		throw new UsageError(
			`Unknown guide ${JSON.stringify(id)}.${didYouMean(
				id,
				wizards.map(each => each.id),
			)}`,
			`Known guides: ${wizards.map(each => each.id).join(', ')}.`,
		);
	}

	return wizard;
}

/** --inventory hosts first, then every --target, per role. */
async function bindingsFrom(wizard: Wizard, flags: Flags): Promise<Record<string, string[]>> {
	const {parseBindings} = await import('./session.js');
	const fromInventory = flags.inventory
		? inventoryBindings(readText(flags.inventory, '--inventory', 'An Ansible INI inventory: [group] then one host per line.'), wizard.roles, flags.inventory)
		: {};
	const fromFlags = parseBindings(wizard, flags.target ?? []);
	const roles = new Set([...Object.keys(fromInventory), ...Object.keys(fromFlags)]);
	return Object.fromEntries([...roles].map(role => [role, [...(fromInventory[role] ?? []), ...(fromFlags[role] ?? [])]]));
}

function readText(path: string, flag: string, remedy: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new UsageError(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, remedy);
	}
}

async function readAnswers(path: string): Promise<Record<string, unknown>> {
	const text = readText(path, '--answers', 'Write one with `waymark answers GUIDE > FILE`.');
	const {parseAnswers} = await import('./answers-parse.js');
	return parseAnswers(text, path);
}

function pick(object: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
	return Object.fromEntries(Object.entries(object).filter(([name]) => names.includes(name)));
}

// Output piped into `head` and the like: when the reader goes away, stop quietly, as other commands do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(exitCodes.done);
	}
});

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	process.exitCode = report(error);
}

/** The one error boundary: what went wrong and what to type next; a stack trace only with WAYMARK_DEBUG=1. */
function report(error: unknown): number {
	const debug = process.env['WAYMARK_DEBUG'] === '1';
	const remedy = (error as {remedy?: unknown}).remedy;
	if (error instanceof Error && typeof remedy === 'string') {
		process.stderr.write(`waymark: ${error.message}\n${remedy}\n${debug ? `${error.stack ?? ''}\n` : ''}`);
		return error instanceof UsageError ? exitCodes.usage : exitCodes.failed;
	}

	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(
		debug
			? `waymark: ${(error as Error).stack ?? message}\n`
			: `waymark: unexpected error: ${message}\nThis is a bug in Waymark. Run the same command with WAYMARK_DEBUG=1 for the details, and report them.\n`,
	);
	return exitCodes.failed;
}
