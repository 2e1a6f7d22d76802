// The operator's vault on disk: 0600 files in 0700 directories, each written atomically, so a kill never leaves a
// half-written CA behind; and what such a kill did leave (a dead writer's temp file) is swept on the next visit.
import {existsSync, readFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {onStorage} from '../engine/errors.js';
import type {Vault} from '../engine/types.js';
import {privateDir, sweepTemp, writeFileAtomic} from './atomic-file.js';

export class DiskVault implements Vault {
	read(path: string): string | undefined {
		// A run killed while it renewed this file left its temp beside it; the kept file is read as it is.
		sweepTemp(dirname(path));
		return existsSync(path) ? onStorage(path, 'read', () => readFileSync(path, 'utf8')) : undefined;
	}

	write(path: string, value: string): void {
		privateDir(dirname(path));
		sweepTemp(dirname(path));
		writeFileAtomic(path, value, 0o600);
	}
}
