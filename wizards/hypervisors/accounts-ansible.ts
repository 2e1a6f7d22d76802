// Accounts and their authorized_keys as Ansible tasks that end where accounts.ts's commands do: the same useradd
// for a missing account, and the key's line in ~/.ssh/authorized_keys (0600, ~/.ssh 0700, both the user's).
import type {AnsibleTask} from '../../source/engine/types.js';
import {createUserAction} from './accounts.js';

const regexSpecial = /[.*+?^${}()|[\]\\/]/g;

/** Creates the account when it is missing, then puts `line` in its authorized_keys in place of any line with the same key. */
export function userKeyAnsible(user: string, kind: 'service' | 'login', line: string, blob: string): AnsibleTask[] {
	const passwd = `getent_passwd[${JSON.stringify(user)}]`;
	const owned = {owner: user, group: `{{ ${passwd}[2] }}`};
	return [
		{
			name: `The account ${user}, made as Waymark makes it where it is missing`,
			'ansible.builtin.command': {argv: ['/bin/sh', '-c', `${createUserAction(user, kind).script.replace('|| useradd', '|| { useradd')} && echo made; }`]},
			register: 'waymark_account',
			changed_when: "'made' in waymark_account.stdout",
		},
		{name: `Where ${user}'s home is`, 'ansible.builtin.getent': {database: 'passwd', key: user}},
		{
			name: `~${user}/.ssh, the user's, 0700`,
			'ansible.builtin.file': {path: `{{ ${passwd}[4] }}/.ssh`, state: 'directory', mode: '0700', ...owned},
		},
		{
			name: `The key in ~${user}/.ssh/authorized_keys (any line with the same key is replaced; other keys stay)`,
			'ansible.builtin.lineinfile': {
				path: `{{ ${passwd}[4] }}/.ssh/authorized_keys`,
				regexp: blob.replace(regexSpecial, '\\$&'),
				line,
				create: true,
				mode: '0600',
				...owned,
			},
		},
	];
}
