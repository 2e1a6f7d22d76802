// Key material in an exported project: by default each task reads it from Waymark's vault on the controller
// (`lookup('file', …)`), so the tree never holds it. With an Ansible Vault password the project carries it instead,
// each value encrypted in vars/vault.yml, for controllers (AWX and others) that do not have the exporting machine's files.
import type {AnsibleTask} from '../engine/types.js';

const lookup = /lookup\('ansible\.builtin\.file', ("(?:[^"\\]|\\.)*"), rstrip=False\)/g;

/** Where the encrypted values live in the project, loaded by every play. */
export const vaultVarsFile = 'vars/vault.yml';

/** One value the project carries encrypted: the variable the tasks use, and the vault file it comes from. */
export interface CarriedSecret {
	readonly variable: string;
	readonly path: string;
}

/** Replaces each vault lookup in the tasks by a variable, one per vault file, named in the order of first use. */
export function carrySecrets(tasks: readonly AnsibleTask[], carried: CarriedSecret[]): AnsibleTask[] {
	const rewrite = (value: unknown): unknown => {
		if (typeof value === 'string') {
			return value.replaceAll(lookup, (_match, quoted: string) => {
				const path = JSON.parse(quoted) as string;
				let found = carried.find(each => each.path === path);
				if (!found) {
					found = {variable: `waymark_vault_${carried.length}`, path};
					carried.push(found);
				}

				return found.variable;
			});
		}

		if (Array.isArray(value)) {
			return value.map(rewrite);
		}

		if (value !== null && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, rewrite(each)]));
		}

		return value;
	};
	return tasks.map(task => rewrite(task) as AnsibleTask);
}
