// Reading the machine's /proc: which processes are alive, who started them, which namespaces they are in.
import {readFileSync} from 'node:fs';
import {lstat, readFile, readdir, readlink} from 'node:fs/promises';

export function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {}
}

// A zombie counts as gone: its parent may be the machine's init, which reaps when it likes.
export function isAlive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		return state !== 'Z' && state !== 'X' && state !== '';
	} catch {
		return false;
	}
}

// Start time of a process (field 22 of /proc/PID/stat), to tell a live owner from a reused pid.
export function processStart(pid: number): string {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
	} catch {
		return '';
	}
}

/** `<pid> <start>` of this process, written where a later process decides whether the owner is gone. */
export function ownerStamp(): string {
	return `${process.pid} ${processStart(process.pid)}`;
}

/** Whether an ownerStamp names a process that still runs. */
export function ownerAlive(stamp: string): boolean {
	const [owner, started] = stamp.trim().split(' ');
	const pid = Number.parseInt(owner ?? '', 10);
	if (!Number.isInteger(pid) || pid <= 0) return true;
	return isAlive(pid) && processStart(pid) === started;
}

export async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

export async function readText(path: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch {
		return '';
	}
}

/** Direct children of a process. */
export async function childrenOf(parent: number): Promise<number[]> {
	const text = await readText(`/proc/${parent}/task/${parent}/children`);
	return text
		.trim()
		.split(/\s+/)
		.map(word => Number.parseInt(word, 10))
		.filter(pid => Number.isInteger(pid) && pid > 0);
}

/** The mount and net namespace ids of a process, e.g. `net:[4026532290]`. */
export async function namespaceIds(pid: number): Promise<string[]> {
	try {
		return [await readlink(`/proc/${pid}/ns/mnt`), await readlink(`/proc/${pid}/ns/net`)];
	} catch {
		return [];
	}
}

export async function sharesNamespaceWithMachine(pid: number): Promise<boolean> {
	const [mine, theirs] = await Promise.all([readlink('/proc/self/ns/net'), readlink(`/proc/${pid}/ns/net`).catch(() => '')]);
	return theirs === '' || mine === theirs;
}

/** Machine pids of the processes in any of the given namespaces. */
export async function processesIn(namespaces: readonly string[]): Promise<number[]> {
	if (namespaces.length === 0) return [];
	const wanted = new Set(namespaces);
	const found: number[] = [];
	for (const entry of await readdir('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		if (pid === process.pid) continue;
		const ids = await namespaceIds(pid);
		if (ids.some(id => wanted.has(id))) found.push(pid);
	}

	return found;
}
