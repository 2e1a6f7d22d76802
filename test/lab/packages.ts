// Debian packages and machine capabilities that lab hosts and terminal tests need.
import {access, mkdtemp, readFile, readdir, readlink, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {ensureRepo} from './apt-repo.js';
import {ensureImage} from './images.js';
import {suites} from './suites.js';

/**
 * Packages the machine needs to build and run lab hosts (the labs' own tools come from their images): debootstrap
 * and the archive keyring build the images, apt-utils (apt-ftparchive) indexes the local repositories,
 * systemd-container boots labs with systemd-nspawn, util-linux (unshare, nsenter, setpriv, flock) and iproute2 make
 * their namespaces and networks, socat and openssh-client reach their sshd; iptables and procps let tests compare
 * the machine's firewall and processes before and after, and ping (run by machineExec) tests a lab network.
 */
export const labPackages: readonly string[] = [
	'debootstrap',
	'debian-archive-keyring',
	'apt-utils',
	'dpkg-dev',
	'systemd-container',
	'util-linux',
	'iproute2',
	'socat',
	'openssh-client',
	'iptables',
	'procps',
	'iputils-ping',
];

const aptEnvironment = {
	DEBIAN_FRONTEND: 'noninteractive',
	APT_LISTCHANGES_FRONTEND: 'none',
	NEEDRESTART_MODE: 'a',
};

const aptOptions = [
	'-y',
	'-q',
	'-o',
	'Dpkg::Options::=--force-confdef',
	'-o',
	'Dpkg::Options::=--force-confold',
	'-o',
	'DPkg::Lock::Timeout=300',
	'--no-install-recommends',
];

const policyRcD = '/usr/sbin/policy-rc.d';

/** Thrown when a package cannot be installed; `packages` lists the ones still missing. */
export class PackageInstallError extends Error {
	constructor(
		message: string,
		readonly packages: readonly string[],
		readonly output: string,
	) {
		super(message);
		this.name = 'PackageInstallError';
	}
}

/** Whether dpkg reports the package as installed. */
export async function isInstalled(name: string): Promise<boolean> {
	const result = await execa('dpkg-query', ['-W', '-f=${Status}', name], {reject: false});
	return result.exitCode === 0 && result.stdout.trim() === 'install ok installed';
}

let installQueue: Promise<unknown> = Promise.resolve();

/**
 * Install the Debian packages that are missing, non-interactively, without letting their
 * maintainer scripts start services (a temporary policy-rc.d answers "denied" to invoke-rc.d).
 * Runs `apt-get update` and retries once when the first install fails.
 */
export async function ensurePackages(names: readonly string[]): Promise<void> {
	// One apt at a time within this process; dpkg's lock covers other processes.
	const run = installQueue.then(async () => installMissing(names));
	installQueue = run.catch(() => undefined);
	await run;
}

async function installMissing(names: readonly string[]): Promise<void> {
	const missing: string[] = [];
	for (const name of names) {
		if (!(await isInstalled(name))) missing.push(name);
	}

	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new PackageInstallError(`missing packages (and not root to install them): ${missing.join(' ')}`, missing, '');
	}

	const createdPolicy = await denyServiceStarts();
	const sshdBefore = await machineSshdPids();
	try {
		let result = await execa('apt-get', ['install', ...aptOptions, ...missing], {
			reject: false,
			env: aptEnvironment,
			stdin: 'ignore',
			all: true,
		});
		if (result.exitCode !== 0) {
			await execa('apt-get', ['update', '-q'], {reject: false, env: aptEnvironment, stdin: 'ignore'});
			result = await execa('apt-get', ['install', ...aptOptions, ...missing], {
				reject: false,
				env: aptEnvironment,
				stdin: 'ignore',
				all: true,
			});
		}

		if (result.exitCode !== 0) {
			throw new PackageInstallError(`apt-get install ${missing.join(' ')} failed (exit ${result.exitCode})`, missing, String(result.all ?? ''));
		}
	} finally {
		if (createdPolicy) await rm(policyRcD, {force: true});
		// Should a maintainer script have started sshd on the machine anyway, stop exactly that one.
		for (const pid of await machineSshdPids()) {
			if (!sshdBefore.has(pid)) {
				try {
					process.kill(pid, 'SIGTERM');
				} catch {}
			}
		}
	}
}

/** Pids of sshd processes in the machine's own network namespace (not in any lab). */
export async function machineSshdPids(): Promise<Set<number>> {
	const found = new Set<number>();
	const machineNet = await readlink('/proc/self/ns/net');
	for (const entry of await readdir('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const comm = (await readFile(`/proc/${entry}/comm`, 'utf8')).trim();
			if (comm === 'sshd' && (await readlink(`/proc/${entry}/ns/net`)) === machineNet) found.add(Number(entry));
		} catch {}
	}

	return found;
}

// Without systemd, invoke-rc.d would run /etc/init.d/ssh start and leave a machine-wide sshd.
async function denyServiceStarts(): Promise<boolean> {
	try {
		await access(policyRcD);
		return false;
	} catch {
		await writeFile(policyRcD, '#!/bin/sh\n# Temporary: no service starts during test package installs.\nexit 101\n', {
			mode: 0o755,
		});
		return true;
	}
}

let labCheck: Promise<string | undefined> | undefined;

/**
 * Why lab hosts cannot run here, or undefined when they can. Installs missing packages first.
 * When CI is 'true' a missing capability is an error, never a skip.
 */
export async function labSkipReason(): Promise<string | undefined> {
	labCheck ??= checkLab();
	const reason = await labCheck;
	if (reason !== undefined && process.env['CI'] === 'true') {
		throw new Error(`lab hosts are required in CI but unavailable: ${reason}`);
	}

	return reason;
}

async function checkLab(): Promise<string | undefined> {
	if (process.platform !== 'linux') return `lab hosts need Linux (this is ${process.platform})`;
	if (process.getuid?.() !== 0) return 'lab hosts need root (namespaces, overlay mounts, systemd-nspawn)';
	try {
		await ensurePackages(labPackages);
	} catch (error) {
		return `cannot install ${labPackages.join(' ')}: ${(error as Error).message}`;
	}

	if (!(await readFile('/proc/self/mountinfo', 'utf8')).includes(' - cgroup2 ')) {
		return 'no cgroup2 hierarchy is mounted: systemd-nspawn needs one';
	}

	// The first test process builds every image and repository (a few minutes, from deb.debian.org); later ones find them cached.
	try {
		await Promise.all(suites.map(async suite => ensureRepo(suite)));
	} catch (error) {
		return `cannot build the lab images and apt repositories: ${(error as Error).message}`;
	}

	const image = await ensureImage('trixie');
	const probe = await mkdtemp(join(tmpdir(), 'waymark-lab-probe-'));
	try {
		const script = [
			'set -e',
			'mkdir -p "$1/upper" "$1/work" "$1/merged"',
			'ip link set lo up',
			'mount -t overlay overlay -o "lowerdir=$2,upperdir=$1/upper,workdir=$1/work" "$1/merged"',
			'test -x "$1/merged/usr/sbin/sshd"',
		].join('\n');
		const result = await execa(
			'unshare',
			['--mount', '--net', '--pid', '--uts', '--ipc', '--fork', '--kill-child', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', probe, image],
			{reject: false, stdin: 'ignore', all: true, timeout: 20_000},
		);
		if (result.exitCode !== 0) {
			return `cannot create mount+network namespaces with an overlay of the lab image: ${String(result.all ?? '').trim() || `exit ${result.exitCode}`}`;
		}
	} finally {
		await rm(probe, {recursive: true, force: true});
	}

	return undefined;
}

let terminalCheck: Promise<string | undefined> | undefined;

/** Why tmux-driven terminal tests cannot run here, or undefined. CI turns a reason into an error. */
export async function terminalSkipReason(): Promise<string | undefined> {
	terminalCheck ??= (async () => {
		if (process.platform !== 'linux') return `terminal tests need Linux (this is ${process.platform})`;
		const found = await execa('tmux', ['-V'], {reject: false});
		if (found.exitCode === 0) return undefined;
		try {
			await ensurePackages(['tmux']);
		} catch (error) {
			return `tmux is missing and cannot be installed: ${(error as Error).message}`;
		}

		return undefined;
	})();
	const reason = await terminalCheck;
	if (reason !== undefined && process.env['CI'] === 'true') {
		throw new Error(`terminal tests are required in CI but unavailable: ${reason}`);
	}

	return reason;
}

let ansibleCheck: Promise<string | undefined> | undefined;

/** Why the tests that run real Ansible (ansible-playbook, ansible-lint) cannot run here, or undefined. CI turns a reason into an error. */
export async function ansibleSkipReason(): Promise<string | undefined> {
	ansibleCheck ??= (async () => {
		if (process.platform !== 'linux') return `Ansible tests need Linux (this is ${process.platform})`;
		try {
			await ensurePackages(['ansible-core', 'ansible-lint']);
		} catch (error) {
			return `ansible-core and ansible-lint are missing and cannot be installed: ${(error as Error).message}`;
		}

		return undefined;
	})();
	const reason = await ansibleCheck;
	if (reason !== undefined && process.env['CI'] === 'true') {
		throw new Error(`Ansible tests are required in CI but unavailable: ${reason}`);
	}

	return reason;
}
