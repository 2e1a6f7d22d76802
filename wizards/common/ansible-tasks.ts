// Building blocks for steps' Ansible forms: a whole file with the same bytes and mode as the step writes, packages
// through apt as the step installs them, a command after a change as a handler.
import type {AnsibleTask} from '../../source/engine/types.js';
import {dpkgLockTimeout} from './apt-packages.js';

export {platformFacts} from '../../source/export/ansible-platform.js';

/** A file the project ships under files/<step>/<name>, copied with Waymark's mode, a backup, and a validator. */
export function copyTask(
	title: string,
	options: {stepId: string; name: string; path: string; mode: number; validate?: string; notify?: string; keep?: boolean},
): AnsibleTask {
	return {
		name: title,
		'ansible.builtin.copy': {
			src: `files/${options.stepId}/${options.name}`,
			dest: options.path,
			mode: `0${options.mode.toString(8)}`,
			owner: 'root',
			group: 'root',
			backup: true,
			...(options.keep ? {force: false} : {}),
			...(options.validate ? {validate: options.validate} : {}),
		},
		...(options.notify ? {notify: options.notify} : {}),
	};
}

/** Packages as the step installs them: noninteractive, existing config files kept, only what is missing. */
export function aptTask(title: string, packages: readonly string[], options: {recommends?: boolean} = {}): AnsibleTask {
	return {
		name: title,
		'ansible.builtin.apt': {
			name: [...packages],
			state: 'present',
			update_cache: true,
			lock_timeout: dpkgLockTimeout,
			dpkg_options: 'force-confdef,force-confold',
			...(options.recommends === false ? {install_recommends: false} : {}),
		},
	};
}

/** A POSIX sh command run as a handler, after a task of the step changed something. */
export function shellHandler(title: string, script: string): AnsibleTask {
	return {name: title, 'ansible.builtin.shell': script, changed_when: true};
}

/** A read-only command that must succeed (a validator run after a file is in place); never a change. */
export function checkTask(title: string, script: string): AnsibleTask {
	return {name: title, 'ansible.builtin.command': script, changed_when: false};
}

/**
 * A vault file on the controller as a copy's content, read there when the play runs and never stored in the project;
 * `before` keeps what comes before a marker, `from` what starts at it (a key and its certificate kept in one file).
 */
export function vaultLookup(path: string, part: {before?: string; from?: string} = {}): string {
	const read = `lookup('ansible.builtin.file', ${JSON.stringify(path)}, rstrip=False)`;
	if (part.before !== undefined) {
		return `{{ ${read} | regex_replace('${part.before}[\\s\\S]*$', '') }}`;
	}

	return part.from === undefined ? `{{ ${read} }}` : `{{ ${read} | regex_replace('^[\\s\\S]*?(?=${part.from})', '') }}`;
}

/** A list or map of strings as a Jinja literal, spaced as ansible-lint wants it: `['a', 'b']`, `{'a': 'b'}`. */
export function jinjaLiteral(value: readonly string[] | Readonly<Record<string, string>>): string {
	const text = (each: string) => `'${each.replaceAll("'", "\\'")}'`;
	return Array.isArray(value)
		? `[${value.map(text).join(', ')}]`
		: `{${Object.entries(value)
				.map(([key, each]) => `${text(key)}: ${text(each)}`)
				.join(', ')}}`;
}
