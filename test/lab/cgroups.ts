// A cgroup per systemd lab, beside this process's own: systemd-nspawn (--keep-unit) puts the container in a
// `payload` child of its caller's cgroup, so without one per lab two labs would share it. The cgroup also
// ends a lab whole: cgroup.kill reaches nspawn, the container's systemd and every service it started.
import {readFileSync, writeFileSync} from 'node:fs';
import {mkdir, readdir, rmdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {ownerAlive, readText} from './procs.js';

export const labCgroupPrefix = 'waymark-lab-';

interface Hierarchy {
	/** Where the hierarchy is mounted on the machine. */
	readonly mount: string;
	/** This process's cgroup in it. */
	readonly path: string;
	/** cgroup2, which has cgroup.kill and cgroup.events. */
	readonly unified: boolean;
}

// The cgroup2 hierarchy (always), and on a hybrid machine the name=systemd v1 one, which nspawn also uses.
function hierarchies(): Hierarchy[] {
	const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
	const mine = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
	const found: Hierarchy[] = [];
	for (const line of mountinfo) {
		const [before, after] = line.split(' - ');
		const mount = before?.split(' ')[4];
		const [fsType, , options] = (after ?? '').split(' ');
		if (mount === undefined) continue;
		if (fsType === 'cgroup2') {
			const path = mine.find(entry => entry.startsWith('0::'))?.slice(3);
			if (path !== undefined && !found.some(h => h.unified)) found.push({mount, path, unified: true});
		} else if (fsType === 'cgroup' && (options ?? '').split(',').includes('name=systemd')) {
			const path = mine.find(entry => /^\d+:name=systemd:/.test(entry))?.replace(/^\d+:name=systemd:/, '');
			if (path !== undefined) found.push({mount, path, unified: false});
		}
	}

	return found;
}

export interface LabCgroup {
	/** The lab's cgroup dirs, cgroup2 first; a process joins by writing its pid to each `cgroup.procs`. */
	readonly dirs: readonly string[];
	/** SIGKILL everything in the cgroups, synchronously (for exit hooks). */
	killSync(): void;
	/** Kill, wait (bounded) until empty, and remove the cgroups. */
	remove(): Promise<void>;
}

export async function createLabCgroup(name: string): Promise<LabCgroup> {
	const found = hierarchies();
	if (!found.some(h => h.unified)) throw new Error('no cgroup2 hierarchy is mounted: systemd-nspawn needs one');
	const dirs = found.map(h => join(h.mount, h.path, name));
	for (const dir of dirs) await mkdir(dir);
	return {
		dirs,
		killSync: () => {
			for (const dir of dirs) {
				try {
					writeFileSync(join(dir, 'cgroup.kill'), '1');
				} catch {}
			}
		},
		remove: async () => removeCgroups(dirs),
	};
}

async function populated(dir: string): Promise<boolean> {
	const events = await readText(join(dir, 'cgroup.events'));
	if (events !== '') return /^populated 1$/m.test(events);
	return (await readText(join(dir, 'cgroup.procs'))).trim() !== '';
}

async function removeCgroups(dirs: readonly string[]): Promise<void> {
	for (let i = 0; i < 200; i++) {
		for (const dir of dirs) await writeFile(join(dir, 'cgroup.kill'), '1').catch(() => undefined);
		const busy = await Promise.all(dirs.map(async dir => populated(dir)));
		if (!busy.includes(true)) break;
		await sleep(25);
	}

	for (const dir of dirs) await removeTree(dir);
}

// Child cgroups first; a cgroup dir is removed with rmdir, never by deleting its files.
async function removeTree(dir: string): Promise<void> {
	let entries: string[];
	try {
		entries = await readdir(dir, {withFileTypes: true}).then(list => list.filter(entry => entry.isDirectory()).map(entry => entry.name));
	} catch {
		return;
	}

	for (const entry of entries) await removeTree(join(dir, entry));
	await rmdir(dir).catch(() => undefined);
}

let swept = false;

/** Remove lab cgroups whose owner (a test process) is gone, killing what is left in them. */
export async function sweepStaleCgroups(): Promise<void> {
	if (swept) return;
	swept = true;
	for (const h of hierarchies()) {
		const parent = join(h.mount, h.path);
		for (const name of await readdir(parent).catch(() => [])) {
			if (!name.startsWith(labCgroupPrefix)) continue;
			const dir = join(parent, name);
			// Named by createLabHost as <prefix><owner pid>-<owner start>-...
			const owner = name.slice(labCgroupPrefix.length).split('-').slice(0, 2).join(' ');
			if (ownerAlive(owner)) continue;
			await removeCgroups([dir]);
		}
	}
}
