// Key material kept on the operator's machine between runs, so a second run, or a later run that issues or revokes
// a certificate, works with the same keys and CA as the first. Where it is comes from the answers; how it is kept
// (disk, or memory for a dry run) is the engine's Vault.
import {join} from 'node:path';
import {answerText} from '../../source/engine/params.js';
import type {Answers, Param, Vault} from '../../source/engine/types.js';
import {waymarkHome} from '../../source/store/home.js';

export const vaultParamName = 'vault';

/** The param that says where the vault is; the default lives in Waymark's home, next to runs and secrets. */
export function vaultParam(): Param {
	return {
		name: vaultParamName,
		type: 'path',
		default: join(waymarkHome(), 'vault'),
		help: "Directory on YOUR machine that keeps this deployment's keys and CA between runs (made 0700)",
	};
}

/** The vault folder of one deployment, e.g. `<vault>/cloudpipe/project1`. */
export function vaultDir(answers: Answers, wizard: string, deployment: string): string {
	return join(answerText(answers, vaultParamName), wizard, deployment);
}

export function readVault(vault: Vault, dir: string, name: string): string | undefined {
	return vault.read(join(dir, name));
}

/** Writes (or replaces) one vault file. */
export function writeVault(vault: Vault, dir: string, name: string, value: string): void {
	vault.write(join(dir, name), value);
}

/** The stored value, made once with `make` when the vault does not have it yet. */
export async function vaultValue(vault: Vault, dir: string, name: string, make: () => string | Promise<string>): Promise<string> {
	const found = readVault(vault, dir, name);
	if (found !== undefined) {
		return found;
	}

	const value = await make();
	writeVault(vault, dir, name, value);
	return value;
}
