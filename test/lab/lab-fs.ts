// Reading a lab's files from the machine. /proc/PID/root reaches the lab's root, but an absolute symlink met on
// the way (/etc/resolv.conf -> /run/...) would be followed on the machine's root; resolve inside the lab instead.
import type {Stats} from 'node:fs';
import {lstat, readFile, readlink} from 'node:fs/promises';
import {posix} from 'node:path';

const maxLinks = 40;

/** The machine path of lab path `path` under `root`, with every symlink resolved inside the lab. */
export async function resolveInLab(root: string, path: string): Promise<string> {
	if (!path.startsWith('/')) throw new Error(`lab paths are absolute: ${path}`);
	let pending = path.split('/').filter(part => part !== '');
	let resolved: string[] = [];
	let links = 0;
	while (pending.length > 0) {
		const [part, ...rest] = pending;
		pending = rest;
		if (part === undefined || part === '.') continue;
		if (part === '..') {
			resolved.pop();
			continue;
		}

		const candidate = [...resolved, part];
		let stats: Stats;
		try {
			stats = await lstat(posix.join(root, ...candidate));
		} catch {
			// Missing: the caller's read or stat reports it with the lab path.
			return posix.join(root, ...candidate, ...pending);
		}

		if (!stats.isSymbolicLink()) {
			resolved = candidate;
			continue;
		}

		if (++links > maxLinks) throw new Error(`too many symlinks in lab path ${path}`);
		const target = await readlink(posix.join(root, ...candidate));
		if (target.startsWith('/')) resolved = [];
		pending = [...target.split('/').filter(piece => piece !== ''), ...pending];
	}

	return posix.join(root, ...resolved);
}

export async function readLabFile(root: string, path: string): Promise<string> {
	return readFile(await resolveInLab(root, path), 'utf8');
}

/** stat(2) of a lab path, following symlinks inside the lab. */
export async function statLabPath(root: string, path: string): Promise<Stats> {
	return lstat(await resolveInLab(root, path));
}
