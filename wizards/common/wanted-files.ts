// A step that makes a set of files exactly so: keys, configs, scripts, units. Secret files are written 0600 and
// never shown; when anything changed, follow-up commands run (reload a unit, restart a service).
import {defineStep, type FactDefs, type Parsed} from '../../source/engine/step.js';
import type {AnsibleStep, CommandAction, Plan, Step, StepContext} from '../../source/engine/types.js';
import {fileWithMode} from '../../source/facts/files.js';
import {copyTask, shellHandler} from './ansible-tasks.js';
import {fileChange, plan} from './plan-helpers.js';

export interface WantedFile {
	readonly path: string;
	readonly content: string;
	readonly secret?: boolean;
	readonly mode?: number;
	/** Run on the candidate before it replaces the file; `{}` is its path. */
	readonly validateCandidate?: string;
}

export interface WantedFilesOptions<D extends FactDefs> {
	readonly id: string;
	readonly title: string;
	readonly why: string;
	readonly role: string;
	readonly params?: readonly string[];
	/** The files; `facts` is there when planning (for content that depends on the host, e.g. its OpenVPN version). */
	files(ctx: StepContext, facts?: Parsed<D>): readonly WantedFile[];
	/** Facts the content depends on, besides the files themselves. */
	readonly extraFacts?: D;
	/** Said in the plan whether or not anything changes, e.g. fingerprints. */
	notes?(ctx: StepContext): readonly string[];
	/** Commands after a change, e.g. `systemctl daemon-reload`. */
	afterChange?(ctx: StepContext): readonly CommandAction[];
	/**
	 * Export the files as Ansible copies. Only for files whose content comes from the answers alone: the export has
	 * neither the host's facts nor the run's secrets.
	 */
	readonly ansible?: boolean;
}

/**
 * The files as Ansible copies, the follow-up commands as one handler. None when a file is secret (its bytes would sit
 * in the project) or its content depends on facts of the host, which only Waymark's plan reads.
 */
function filesAnsible<D extends FactDefs>(options: WantedFilesOptions<D>, ctx: StepContext): AnsibleStep {
	const files = options.files(ctx);
	if (options.extraFacts !== undefined || files.some(file => file.secret)) {
		throw new Error(`${options.id} writes a secret or a file that depends on the host; run it with Waymark: waymark run GUIDE --only ${options.id}`);
	}

	const commands = options.afterChange?.(ctx) ?? [];
	const handler = commands.length === 0 ? undefined : commands.map(command => command.title).join(', then ');
	// Shipped under files/<step>/ by basename, numbered where two share one.
	const names = files.map((file, index) => {
		const base = file.path.split('/').at(-1)!;
		return files.findIndex(other => other.path.split('/').at(-1) === base) === index ? base : `${index}-${base}`;
	});
	// As Waymark writes a file: a missing parent is made (with the umask, so 0755), an existing one left as it is.
	const parents = [...new Set(files.map(file => file.path.slice(0, file.path.lastIndexOf('/'))))];
	return {
		tasks: [
			...parents.flatMap((dir, index) => [
				{name: `Whether ${dir} exists`, 'ansible.builtin.stat': {path: dir, get_checksum: false}, register: `waymark_parent_${index}`},
				{
					name: `${dir} where it is missing`,
					'ansible.builtin.file': {path: dir, state: 'directory', mode: '0755'},
					when: `not waymark_parent_${index}.stat.exists`,
				},
			]),
			...files.map((file, index) =>
				copyTask(`${file.path}, as the step writes it`, {
					stepId: options.id,
					name: names[index]!,
					path: file.path,
					mode: file.mode ?? 0o644,
					validate: file.validateCandidate?.replaceAll('{}', '%s'),
					notify: handler,
				}),
			),
		],
		handlers: handler === undefined ? [] : [shellHandler(handler, commands.map(command => command.script).join('\n'))],
		files: Object.fromEntries(files.map((file, index) => [names[index]!, file.content])),
	};
}

export function wantedFilesStep<D extends FactDefs = Record<never, never>>(options: WantedFilesOptions<D>): Step {
	const extra: FactDefs = options.extraFacts ?? {};
	/** The caller's files(), given only the extra facts it asked for (the file facts are the step's own). */
	const files = (ctx: StepContext, facts?: Parsed<FactDefs>): readonly WantedFile[] =>
		facts === undefined ? options.files(ctx) : options.files(ctx, Object.fromEntries(Object.keys(extra).map(key => [key, facts[key]])) as Parsed<D>);
	return defineStep({
		id: options.id,
		title: options.title,
		why: options.why,
		role: options.role,
		params: options.params,
		// Each file is read under its own path, with its mode: a secret whose text is right but whose mode is loose is written again.
		facts: ctx => ({...Object.fromEntries(files(ctx).map(file => [file.path, fileWithMode(file.path)])), ...extra}),
		plan(ctx, facts): Plan {
			const notes = options.notes?.(ctx) ?? [];
			const changes = files(ctx, facts).map(file => {
				const current = facts[file.path] as {readonly text: string | null; readonly mode: number | undefined};
				return fileChange(
					file.path,
					current.text,
					file.content,
					{
						mode: file.mode ?? (file.secret ? 0o600 : 0o644),
						secret: file.secret,
						validateCandidate: file.validateCandidate,
					},
					current.mode,
				);
			});
			if (changes.every(change => change === undefined)) {
				return plan([], [`All ${changes.length} file(s) are as wanted.`, ...notes]);
			}

			return plan([...changes, ...(options.afterChange?.(ctx) ?? [])], notes);
		},
		...(options.ansible ? {ansible: (ctx: StepContext) => filesAnsible(options, ctx)} : {}),
	});
}
