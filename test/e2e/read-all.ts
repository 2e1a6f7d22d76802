// Reads every file under a directory as one text, to prove a secret appears nowhere in it.
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

export function readAll(dir: string): string {
	let text = '';
	for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			text += readFileSync(join(entry.parentPath, entry.name), 'utf8');
		}
	}

	return text;
}
