// Secret values made for a run (keys, psks): files of mode 0600 in a 0700 directory, never in run state.
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export class SecretStore {
	private readonly dir: string;

	constructor(home: string, runId: string) {
		this.dir = join(home, 'secrets', runId);
	}

	private file(name: string): string {
		if (!/^[\w.-]+$/.test(name)) {
			throw new Error(`${JSON.stringify(name)} is not a secret name`);
		}

		return join(this.dir, name);
	}

	/** The stored value, or undefined: never creates one (for `waymark check`, which writes nothing). */
	get(name: string): string | undefined {
		const file = this.file(name);
		return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
	}

	/** Returns the stored value, creating it once with `make` if it does not exist yet. */
	async getOrCreate(name: string, make: () => string | Promise<string>): Promise<string> {
		const file = this.file(name);
		if (existsSync(file)) {
			return readFileSync(file, 'utf8');
		}

		const value = await make();
		mkdirSync(this.dir, {recursive: true, mode: 0o700});
		chmodSync(this.dir, 0o700);
		writeFileSync(file, value, {mode: 0o600, flag: 'wx'});
		return value;
	}
}
