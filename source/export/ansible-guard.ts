// The lockout guard as Ansible tasks, with the same scripts Waymark runs: prove a fresh login, arm the rollback that
// restores by itself, apply, prove a fresh login again, disarm; a failed proof restores at once and fails the host.
import {armScript, disarmScript, rollbackScript} from '../engine/guard-scripts.js';
import type {AnsibleStep, AnsibleTask, GuardSpec, Step} from '../engine/types.js';

export interface GuardedTasksOptions {
	readonly wizard: string;
	readonly step: Step;
	readonly exported: AnsibleStep;
	/** The step's tasks, named as the play names them. */
	readonly tasks: readonly AnsibleTask[];
	/** Its handlers: inside the guard they run before the proof, when a task changed something. */
	readonly handlers: readonly AnsibleTask[];
	readonly guard?: GuardSpec;
	readonly seconds: number;
}

/** `sshd-hardening` → `waymark_sshd_hardening`: a name Ansible takes for a registered variable. */
function variable(stepId: string, suffix: string): string {
	return `waymark_${stepId.replaceAll(/[^A-Za-z0-9]/g, '_')}_${suffix}`;
}

/** A fresh connection, proven: the control socket is dropped first, so the next task logs in through sshd anew. */
function freshLogin(stepId: string, what: string, seconds: number): AnsibleTask[] {
	// The proof gives up well before the armed timer restores: a login that only works again because the timer undid
	// the change must not count as proof that the change is safe.
	const timeout = Math.max(5, Math.min(30, Math.floor(seconds / 2)));
	return [
		{name: `[${stepId}] Drop the connection (${what})`, 'ansible.builtin.meta': 'reset_connection'},
		{name: `[${stepId}] A fresh login works (${what})`, 'ansible.builtin.wait_for_connection': {timeout}},
	];
}

/** The guard's own scripts, run by sh exactly as Waymark runs them (a pipe's status is its last command's, as meant). */
function sh(script: string): Record<string, unknown> {
	return {'ansible.builtin.command': {argv: ['/bin/sh', '-c', script]}};
}

export function guardedTasks(options: GuardedTasksOptions): AnsibleTask[] {
	const {step, seconds} = options;
	const id = `ansible-${options.wizard}-${step.id}`;
	const paths = options.exported.guarded ?? [];
	// A task's own register (a state read later tasks use) is kept; every other task is registered to see what changed.
	const registered = options.tasks.map((task, index) => (typeof task['register'] === 'string' ? task['register'] : variable(step.id, String(index))));
	const changed = registered.map(name => `(${name} is changed)`).join(' or ') || 'false';
	const notified = new Set(
		options.tasks.flatMap(task =>
			[task['notify']]
				.flat()
				.filter(name => name !== undefined)
				.map(String),
		),
	);
	const followUps = options.handlers.filter(handler => notified.has(handler.name.slice(step.id.length + 3))).map(handler => ({...handler, when: changed}));
	const disarmed = variable(step.id, 'disarm');
	return [
		...freshLogin(step.id, 'before the change', seconds),
		{
			name: `[${step.id}] Arm the rollback that restores ${paths.join(', ') || 'the previous state'} by itself after ${seconds} s`,
			...sh(armScript({id, files: paths.map(path => ({path})), ...(options.guard ? {guard: options.guard} : {}), seconds})),
			changed_when: false,
			// A dry run (--check) changes nothing, so there is nothing to guard.
			when: 'not ansible_check_mode',
		},
		{
			name: `[${step.id}] Apply, then prove a fresh login before keeping it`,
			block: [
				...options.tasks.map((task, index) => {
					const {notify: _notify, ...rest} = task;
					return {...rest, register: registered[index]};
				}),
				...followUps,
				...freshLogin(step.id, 'after the change', seconds),
				{
					name: `[${step.id}] Keep the change (disarm the rollback)`,
					...sh(disarmScript(id)),
					register: disarmed,
					changed_when: false,
					failed_when: `${disarmed}.rc != 0 or 'fired' in ${disarmed}.stdout`,
					when: 'not ansible_check_mode',
				},
			],
			rescue: [
				{
					name: `[${step.id}] Restore the previous state now`,
					...sh(rollbackScript(id, seconds)),
					changed_when: true,
					when: 'not ansible_check_mode',
				},
				{
					name: `[${step.id}] Failed, and rolled back`,
					'ansible.builtin.fail': {
						msg: `${step.title}: the change was rolled back because a fresh login failed after it (or a task failed). The host is as it was; fix the cause and run the play again.`,
					},
				},
			],
		},
	];
}
