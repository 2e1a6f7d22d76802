// A guide as a self-contained Ansible project: one play per role, each step's tasks named after it with its why as
// a comment, handlers for the commands that follow a change, the lockout guard around risky steps, and a report
// of what exported and what did not (never dropped in silence).
import {Document, isMap, isSeq} from 'yaml';
import type {AnsibleStep, AnsibleTask, Answers, Step, StepContext, TargetInfo, Wizard} from '../engine/types.js';
import {guardedTasks} from './ansible-guard.js';
import {platformTasks} from './ansible-platform.js';
import {type CarriedSecret, carrySecrets, vaultVarsFile} from './ansible-secrets.js';

/** One file of the exported project, relative to its root. */
export interface ExportedFile {
	readonly path: string;
	readonly content: string;
	readonly mode?: number;
}

export type ExportStatus = 'exported' | 'partly' | 'not exported';

/** What became of one step. */
export interface StepExportReport {
	readonly role: string;
	readonly stepId: string;
	readonly title: string;
	readonly status: ExportStatus;
	/** Why not, or what part is left out; empty when exported whole. */
	readonly notes: readonly string[];
}

export interface AnsibleProjectOptions {
	readonly answers: Answers;
	/** Hosts by role, as Waymark target labels; shape the per-host steps (peers) and the inventory. */
	readonly bindings: Readonly<Record<string, readonly TargetInfo[]>>;
	/** The operator's Ansible INI inventory, copied as it is; without one, a template naming the roles as groups. */
	readonly inventory?: string;
	/** How long the armed rollback of a lockout step waits before it restores by itself. */
	readonly guardSeconds: number;
	/** Carry key material in the project as Ansible Vault variables (vars/vault.yml) instead of controller lookups. */
	readonly carrySecrets?: boolean;
	/** The shippable parts of the wizard's secrets (public key lines), by secret name. */
	readonly publicParts?: ReadonlyMap<string, string>;
}

export interface AnsibleProject {
	readonly files: readonly ExportedFile[];
	readonly report: readonly StepExportReport[];
	/** With `carrySecrets`: the vault files whose values vars/vault.yml must hold, encrypted, by variable. */
	readonly carried: readonly CarriedSecret[];
}

/** Why a step without an Ansible form is left out; said in the play and by `--check`. */
export function notExportedReason(step: Step): string {
	return `no Ansible form yet (its plan decides in Waymark's code from what it reads on the host); run it with Waymark: waymark run GUIDE --only ${step.id}`;
}

function stepExport(step: Step, ctx: StepContext): {exported?: AnsibleStep; error?: string} {
	if (!step.ansible) {
		return {};
	}

	try {
		return {exported: step.ansible(ctx)};
	} catch (error) {
		// A step that cannot be exported with these answers says so, as a step without an Ansible form does.
		return {error: (error as Error).message};
	}
}

/** The play of one role: its steps' tasks in guide order, and their handlers. */
function rolePlay(wizard: Wizard, role: string, options: AnsibleProjectOptions, files: ExportedFile[], report: StepExportReport[], carried: CarriedSecret[]) {
	const tasks: AnsibleTask[] = [...platformTasks()];
	const handlers: AnsibleTask[] = [];
	const comments = new Map<number, string>();
	const ctx: StepContext = {
		answers: options.answers,
		target: {kind: 'ssh', label: `ansible:${role}`},
		bindings: options.bindings,
		// Nothing secret enters the export: steps read key material from the vault on the controller instead.
		secrets: new Map(),
		publicParts: options.publicParts ?? new Map(),
	};
	for (const step of wizard.steps.filter(each => each.role === role)) {
		const {exported, error} = stepExport(step, ctx);
		comments.set(tasks.length, commentLines(`${step.id}: ${step.why}`));
		if (!exported) {
			const reason = (error ?? notExportedReason(step)).replaceAll('GUIDE', wizard.id);
			report.push({role, stepId: step.id, title: step.title, status: 'not exported', notes: [reason]});
			tasks.push({name: `[${step.id}] Not exported: ${step.title}`, 'ansible.builtin.debug': {msg: `Not exported: ${reason}`}});
			continue;
		}

		// A step with nothing to do for these answers (an optional one left empty) still shows in the play, saying so.
		const own =
			exported.tasks.length > 0 ? exported.tasks : [{name: 'Nothing to do with these answers', 'ansible.builtin.debug': {msg: `${step.title}: not asked for`}}];
		const named = own.map(task => ({...task, name: `[${step.id}] ${task.name}`}));
		const preflight = (exported.preflight ?? []).map(task => withWhen({...task, name: `[${step.id}] ${task.name}`}, exported.when));
		const ownHandlers = (exported.handlers ?? []).map(handler => ({...handler, name: `[${step.id}] ${handler.name}`}));
		if (step.risk === 'lockout') {
			const guarded = guardedTasks({
				wizard: wizard.id,
				step,
				exported,
				tasks: named,
				handlers: ownHandlers,
				guard: step.guard?.(ctx),
				seconds: options.guardSeconds,
			});
			// Where the step does not apply, the guard is not armed either.
			tasks.push(...preflight, ...(exported.when === undefined ? guarded : [{name: `[${step.id}] ${step.title}`, block: guarded, when: exported.when}]));
		} else {
			tasks.push(...preflight, ...named.map(task => withWhen(renamedNotify(task, step.id), exported.when)));
			handlers.push(...ownHandlers);
		}

		for (const [name, content] of Object.entries(exported.files ?? {})) {
			files.push({path: `files/${step.id}/${name}`, content});
		}

		// One copy of each module, whichever steps use it.
		for (const [name, content] of Object.entries(exported.modules ?? {})) {
			if (!files.some(file => file.path === `library/${name}.py`)) {
				files.push({path: `library/${name}.py`, content});
			}
		}

		const gaps = exported.gaps ?? [];
		report.push({role, stepId: step.id, title: step.title, status: gaps.length > 0 ? 'partly' : 'exported', notes: gaps});
		for (const gap of gaps) {
			tasks.push({name: `[${step.id}] Not exported: ${gap}`, 'ansible.builtin.debug': {msg: `Not exported: ${gap}`}});
		}
	}

	const play: Record<string, unknown> = {
		name: `Role ${role}: ${wizard.title}`,
		hosts: role,
		become: true,
		// Steps read what they need themselves, as Waymark's facts do; the setup module would be a round trip more.
		gather_facts: false,
		...(options.carrySecrets ? {vars_files: [vaultVarsFile]} : {}),
		tasks: options.carrySecrets ? carrySecrets(tasks, carried) : tasks,
		...(handlers.length > 0 ? {handlers: options.carrySecrets ? carrySecrets(handlers, carried) : handlers} : {}),
	};
	return {play, comments};
}

/** A comment's text as lines of at most 120 characters, each after `# `. */
function commentLines(text: string): string {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/)) {
		if (line !== '' && line.length + word.length + 1 > 118) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	return [...lines, line].map(each => ` ${each}`).join('\n');
}

/** A task that runs only where its step applies, on top of its own condition. */
function withWhen(task: AnsibleTask, when: string | undefined): AnsibleTask {
	if (when === undefined) {
		return task;
	}

	const own = task['when'];
	return {...task, when: own === undefined ? when : [when, ...(Array.isArray(own) ? own : [own])]};
}

/** A `notify` of a step's own handler names it as the play does (with the step's id in front). */
function renamedNotify(task: AnsibleTask, stepId: string): AnsibleTask {
	const notify = task['notify'];
	if (notify === undefined) {
		return task;
	}

	const names = (Array.isArray(notify) ? notify : [notify]).map(name => `[${stepId}] ${String(name)}`);
	return {...task, notify: names.length === 1 ? names[0] : names};
}

/** site.yml, with each step's why as a comment above its first task. */
function playbookText(plays: readonly {play: Record<string, unknown>; comments: Map<number, string>}[], wizard: Wizard): string {
	const document = new Document(plays.map(each => each.play));
	document.commentBefore = ` ${wizard.title}: exported by \`waymark export ansible ${wizard.id}\`. Run: ansible-playbook site.yml`;
	for (const [index, {comments}] of plays.entries()) {
		const tasks = document.getIn([index, 'tasks'], true);
		if (!isSeq(tasks)) {
			continue;
		}

		for (const [at, comment] of comments) {
			const node = tasks.items[at];
			if (isMap(node)) {
				node.commentBefore = comment;
			}
		}
	}

	return document.toString({lineWidth: 0});
}

function inventoryTemplate(wizard: Wizard): string {
	return [
		`# Hosts of ${wizard.id}, one group per role. Fill in your hosts (ansible_host, ansible_user, ansible_port as usual).`,
		...wizard.roles.flatMap(role => [`[${role}]`, `# ${role}1.example.org ansible_user=root`, '']),
	].join('\n');
}

function groupVarsText(wizard: Wizard, answers: Answers): string {
	const kept = Object.fromEntries(
		wizard.params.filter(param => param.type !== 'secret' && answers[param.name] !== undefined).map(param => [param.name, answers[param.name]]),
	);
	const document = new Document(kept);
	document.commentBefore =
		' The answers this project was exported from (secret answers left out). The tasks were made from them:\n to change one, export again: waymark export ansible ' +
		`${wizard.id} --answers FILE`;
	return document.toString({lineWidth: 0});
}

// Scripts Waymark runs on the host (the lockout guard's) are shipped as they are, with their long lines.
const ansibleLintConfig = `skip_list:
  - yaml[line-length]
`;

const ansibleCfg = `[defaults]
inventory = inventory.ini
# Your ssh client does the connecting, with your ~/.ssh/config, agent and known_hosts, as with Waymark.
host_key_checking = True
interpreter_python = auto_silent
`;

/**
 * The roles in the order their plays run: the role whose last step comes first in the guide goes first. A role's
 * work that another's depends on (the hypervisors' tunnel account before the MaaS dials it, the database before the
 * web server logs in) comes earlier in the guide, so it is done before the play that needs it starts.
 */
export function playOrder(wizard: Wizard): string[] {
	const last = (role: string) => wizard.steps.findLastIndex(step => step.role === role);
	return [...wizard.roles].sort((a, b) => last(a) - last(b));
}

/** The project as files, and what became of each step. */
export function ansibleProject(wizard: Wizard, options: AnsibleProjectOptions): AnsibleProject {
	const files: ExportedFile[] = [];
	const report: StepExportReport[] = [];
	const carried: CarriedSecret[] = [];
	const plays = playOrder(wizard).map(role => rolePlay(wizard, role, options, files, report, carried));
	files.push(
		{path: 'site.yml', content: playbookText(plays, wizard)},
		{path: 'inventory.ini', content: options.inventory ?? inventoryTemplate(wizard)},
		{path: 'group_vars/all.yml', content: groupVarsText(wizard, options.answers)},
		{path: 'ansible.cfg', content: ansibleCfg},
		{path: '.ansible-lint', content: ansibleLintConfig},
	);
	files.push({path: 'README.md', content: projectReadme(wizard, report, options.carrySecrets === true)});
	return {files, report, carried};
}

function projectReadme(wizard: Wizard, report: readonly StepExportReport[], carried: boolean): string {
	const rows = report.map(row => `| ${row.role} | ${row.stepId} | ${row.status} | ${row.notes.join(' ') || '—'} |`);
	return `# ${wizard.title} as an Ansible project

Exported by \`waymark export ansible ${wizard.id}\`. Ansible runs it without Waymark:

    ansible-playbook site.yml --check --diff   # what would change
    ansible-playbook site.yml                  # converge the hosts in inventory.ini

Each play is one role (a group in \`inventory.ini\`). Steps that can lock you out (sshd, PAM, firewall) first prove
a fresh login, arm a rollback on the host that restores the previous files by itself, apply, log in again over a
new connection, and only then disarm it; a failed login restores at once.

${
	carried
		? `Key material is in \`${vaultVarsFile}\`, each value encrypted with Ansible Vault: run the play with the same password,
\`ansible-playbook site.yml --vault-password-file FILE\` (or \`--ask-vault-pass\`). Nothing secret is in plain text here.`
		: `Key material stays on the machine that exported this project: tasks read it from Waymark's vault there
(\`lookup('file', …)\`, with \`no_log\`); nothing secret is in this tree. For a controller without that machine's files,
export with \`--vault-password-file FILE\`: the values then travel in the project, encrypted with Ansible Vault.`
}

## Steps

| role | step | export | notes |
|---|---|---|---|
${rows.join('\n')}
`;
}
