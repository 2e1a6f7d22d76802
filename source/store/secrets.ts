// Secret values made for a run (keys, psks): files of mode 0600 in a 0700 directory, never in run state.
import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {onStorage} from '../engine/errors.js';
import {privateDir, sweepTemp, writeFileAtomic} from './atomic-file.js';

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
		// An empty file is no secret: an older version could leave one behind when killed between create and write.
		return existsSync(file) && statSync(file).size > 0 ? onStorage(file, 'read', () => readFileSync(file, 'utf8')) : undefined;
	}

	/** Returns the stored value, creating it once with `make` if it does not exist yet; written atomically. */
	async getOrCreate(name: string, make: () => string | Promise<string>): Promise<string> {
		const found = this.get(name);
		if (found !== undefined) {
			return found;
		}

		const value = await make();
		privateDir(this.dir);
		sweepTemp(this.dir);
		writeFileAtomic(this.file(name), value, 0o600);
		return value;
	}
}
