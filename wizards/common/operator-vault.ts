// Key material kept on the operator's machine between runs (0600 files in 0700 directories), so a second run,
// or a later run that issues or revokes a certificate, works with the same keys and CA as the first.
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {answerText} from '../../source/engine/params.js';
import type {Answers, Param} from '../../source/engine/types.js';
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

function ensureDir(dir: string): void {
	mkdirSync(dir, {recursive: true, mode: 0o700});
	chmodSync(dir, 0o700);
}

export function readVault(dir: string, name: string): string | undefined {
	const file = join(dir, name);
	return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Writes (or replaces) one vault file with mode 0600. */
export function writeVault(dir: string, name: string, value: string): void {
	const file = join(dir, name);
	ensureDir(join(file, '..'));
	writeFileSync(file, value, {mode: 0o600});
	chmodSync(file, 0o600);
}

/** The stored value, made once with `make` when the vault does not have it yet. */
export async function vaultValue(dir: string, name: string, make: () => string | Promise<string>): Promise<string> {
	const found = readVault(dir, name);
	if (found !== undefined) {
		return found;
	}

	const value = await make();
	writeVault(dir, name, value);
	return value;
}
