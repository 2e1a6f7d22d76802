// Minimal Debian root file systems for lab hosts: what `debootstrap --variant=minbase` gives a bare server, plus
// sshd (to reach it), iproute2 (to give it an address) and systemd as init. Nothing else: a wizard that needs a
// tool must install it, from the lab's local apt repository (apt-repo.ts), because the lab has no way out.
import {chmod, mkdir, readdir, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {cacheKey, cachedDir} from './cache.js';
import {mirror, type Suite} from './suites.js';

/** Bump when the recipe below changes in a way that changes the image: the cache key includes it. */
const recipeVersion = 1;

export const imagePackages: readonly string[] = ['openssh-server', 'iproute2', 'systemd-sysv'];

/** Where the local repository appears inside a lab, and the apt source that points there. */
export const labRepoPath = '/srv/waymark-apt';
export const labRepoSource = `deb [trusted=yes] file:${labRepoPath} ./\n`;

const debootstrapTimeoutMs = 15 * 60_000;
// A second process waits for the first one's build; debootstrap took 50-90 s here.
const buildWaitMs = 30 * 60_000;

export function imageKey(suite: Suite): string {
	return `${suite}-${cacheKey('image', recipeVersion, suite, mirror, imagePackages, labRepoSource)}`;
}

/** The cached root file system of a suite, built on first use. Never modify it: labs use it as an overlay's lower dir. */
export async function ensureImage(suite: Suite): Promise<string> {
	return cachedDir('images', imageKey(suite), {waitMs: buildWaitMs}, async tmp => buildImage(suite, tmp));
}

async function buildImage(suite: Suite, root: string): Promise<void> {
	// A private mount and pid namespace: the /proc and /sys debootstrap mounts in the target, and anything it
	// starts, go away with it even if it fails halfway.
	const result = await execa(
		'unshare',
		[
			'--mount',
			'--propagation',
			'private',
			'--pid',
			'--fork',
			'--kill-child',
			'--',
			'debootstrap',
			'--variant=minbase',
			`--include=${imagePackages.join(',')}`,
			suite,
			root,
			mirror,
		],
		{reject: false, all: true, stdin: 'ignore', timeout: debootstrapTimeoutMs, env: {LANG: 'C.UTF-8'}},
	);
	if (result.exitCode !== 0) {
		const tail = String(result.all ?? '')
			.split('\n')
			.slice(-30)
			.join('\n');
		throw new Error(`debootstrap ${suite} failed (exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''}):\n${tail}`);
	}

	await makeBare(root);
}

// What debootstrap leaves that a lab must not have: the way to the network, the machine's identity, and caches.
async function makeBare(root: string): Promise<void> {
	const at = (path: string): string => join(root, path);
	await rm(at('etc/apt/sources.list'), {force: true});
	for (const name of await readdir(at('etc/apt/sources.list.d')).catch(() => [])) await rm(at(`etc/apt/sources.list.d/${name}`), {force: true});
	await writeFile(at('etc/apt/sources.list.d/waymark-lab.list'), labRepoSource);
	await mkdir(at(labRepoPath.slice(1)), {recursive: true, mode: 0o755});
	await emptyDir(at('var/lib/apt/lists'), ['partial', 'lock']);
	await emptyDir(at('var/cache/apt'), ['archives']);
	await emptyDir(at('var/cache/apt/archives'), ['partial', 'lock']);
	// Each lab makes its own host keys and machine id; debootstrap copied the machine's hostname and resolv.conf.
	for (const name of await readdir(at('etc/ssh'))) if (name.startsWith('ssh_host_')) await rm(at(`etc/ssh/${name}`));
	await writeFile(at('etc/machine-id'), '');
	await writeFile(at('etc/hostname'), 'debian\n');
	await rm(at('etc/resolv.conf'), {force: true});
	await writeFile(at('etc/hosts'), '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n');
	await chmod(root, 0o755);
}

async function emptyDir(dir: string, keep: readonly string[]): Promise<void> {
	for (const name of await readdir(dir).catch(() => [])) {
		if (!keep.includes(name)) await rm(join(dir, name), {recursive: true, force: true});
	}
}
