// The operator's vault on disk: 0600 files in 0700 directories, each written atomically, so a kill never leaves a
// half-written CA behind.
import {existsSync, readFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {onStorage} from '../engine/errors.js';
import type {Vault} from '../engine/types.js';
import {privateDir, writeFileAtomic} from './atomic-file.js';

export class DiskVault implements Vault {
	read(path: string): string | undefined {
		return existsSync(path) ? onStorage(path, 'read', () => readFileSync(path, 'utf8')) : undefined;
	}

	write(path: string, value: string): void {
		privateDir(dirname(path));
		writeFileAtomic(path, value, 0o600);
	}
}
