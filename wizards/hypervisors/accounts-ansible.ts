// Accounts and their authorized_keys as Ansible tasks that end where accounts.ts's commands do: the same useradd
// for a missing account, and the key's line in ~/.ssh/authorized_keys (0600, ~/.ssh 0700, both the user's).
import type {AnsibleTask} from '../../source/engine/types.js';
import {createUserAction} from './accounts.js';

const regexSpecial = /[.*+?^${}()|[\]\\/]/g;

/** `getent_passwd[USER][i]`, set by accountTasks: [2] is the login group's id, [4] the home. */
export function passwdField(user: string, index: 2 | 4): string {
	return `{{ getent_passwd[${JSON.stringify(user)}][${index}] }}`;
}

/** The account, made as Waymark makes it where it is missing, then its passwd entry read for the tasks after. */
export function accountTasks(user: string, kind: 'service' | 'login'): AnsibleTask[] {
	return [
		{
			name: `The account ${user}, made as Waymark makes it where it is missing`,
			'ansible.builtin.command': {argv: ['/bin/sh', '-c', `${createUserAction(user, kind).script.replace('|| useradd', '|| { useradd')} && echo made; }`]},
			register: 'waymark_account',
			changed_when: "'made' in waymark_account.stdout",
		},
		{name: `Where ${user}'s home is`, 'ansible.builtin.getent': {database: 'passwd', key: user}},
	];
}

/** ~USER/.ssh, the user's, 0700. */
export function sshDirTask(user: string): AnsibleTask {
	return {
		name: `~${user}/.ssh, the user's, 0700`,
		'ansible.builtin.file': {path: `${passwdField(user, 4)}/.ssh`, state: 'directory', mode: '0700', owner: user, group: passwdField(user, 2)},
	};
}

/** Creates the account when it is missing, then puts `line` in its authorized_keys in place of any line with the same key. */
export function userKeyAnsible(user: string, kind: 'service' | 'login', line: string, blob: string): AnsibleTask[] {
	return [
		...accountTasks(user, kind),
		sshDirTask(user),
		{
			name: `The key in ~${user}/.ssh/authorized_keys (any line with the same key is replaced; other keys stay)`,
			'ansible.builtin.lineinfile': {
				path: `${passwdField(user, 4)}/.ssh/authorized_keys`,
				regexp: blob.replace(regexSpecial, '\\$&'),
				line,
				create: true,
				mode: '0600',
				owner: user,
				group: passwdField(user, 2),
			},
		},
	];
}
