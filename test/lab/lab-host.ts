// Disposable lab hosts: an overlay of a bare Debian image (images.ts) in private namespaces, with the image's own
// sshd on the lab's 127.0.0.1:22, reached through an ssh config whose ProxyCommand enters the lab's network
// namespace. init 'systemd' boots the image's systemd as pid 1 under systemd-nspawn; init 'shell' runs sshd
// under a bash pid 1. Packages come only from the suite's local apt repository (apt-repo.ts): no lab can reach
// an address outside this machine, and nothing is written to the machine's /.
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {closeSync, openSync, rmSync, type Stats} from 'node:fs';
import {lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {ensureRepo} from './apt-repo.js';
import {createLabCgroup, labCgroupPrefix, sweepStaleCgroups, type LabCgroup} from './cgroups.js';
import {ensureImage, labRepoPath} from './images.js';
import {readLabFile, statLabPath} from './lab-fs.js';
import {shellInit, systemdInit} from './lab-init.js';
import {joinNetwork, leaveNetwork, startSwitch, type LabHostNetwork} from './lab-network.js';
import {childrenOf, exists, isAlive, namespaceIds, ownerAlive, ownerStamp, processesIn, readText, sharesNamespaceWithMachine, signal} from './procs.js';
import type {Suite} from './suites.js';

export {namespaceIds, processesIn} from './procs.js';
export type {LabHostNetwork} from './lab-network.js';
export type {Suite} from './suites.js';

/** Where the operator's key is installed in the lab's /root/.ssh. */
export type KeyPlacement = 'authorized_keys' | 'authorized_keys2' | 'none';

/** What runs as the lab's pid 1: the image's systemd (under systemd-nspawn), or a bash that only starts sshd. */
export type LabInit = 'systemd' | 'shell';

export interface LabHostOptions {
	/** Ssh alias and lab name (also its hostname); letters, digits and dashes. Default `lab`. */
	readonly name?: string;
	/** Where the operator's public key goes; `none` leaves root with no working key. Default `authorized_keys`. */
	readonly keyIn?: KeyPlacement;
	/** Join a lab network; created by createLabNetwork. */
	readonly network?: LabHostNetwork;
	/** Debian release of the lab: bookworm (12) or trixie (13). Default trixie. */
	readonly image?: Suite;
	/** Default systemd. */
	readonly init?: LabInit;
}

export interface ExecResult {
	readonly exitCode: number;
	readonly stdout: string;
	readonly stderr: string;
}

export interface ExecOptions {
	/** Text written to the script's standard input. */
	readonly input?: string;
	/** Kill the command after this long. Default 60 s. */
	readonly timeoutMs?: number;
}

export interface LabHost {
	/** Ssh alias in `sshConfig`; also the lab's name. */
	readonly alias: string;
	readonly image: Suite;
	readonly init: LabInit;
	/** An ssh client config with a `Host <alias>` block: `ssh -F sshConfig alias true` works. */
	readonly sshConfig: string;
	/** The private temp dir that holds everything below. */
	readonly dir: string;
	/** The overlay's upper dir: exactly the files the lab changed, as seen from the machine. */
	readonly upperDir: string;
	/** Where the overlay is mounted, in the mount namespace of the lab's starter (for init 'shell' also the lab's). */
	readonly mergedDir: string;
	/**
	 * The lab's root, as a path the machine can read and write (through /proc/PID/root). Absolute symlinks on the
	 * way would be followed on the machine's root: readFile and stat resolve them inside the lab.
	 */
	readonly rootDir: string;
	/** The operator's private key (ed25519, no passphrase). */
	readonly identityFile: string;
	/** The operator's public key line. */
	readonly publicKey: string;
	/** sshd's stderr (`-e`). */
	readonly sshdLog: string;
	/** Machine pid of the lab's pid 1 (systemd, or the bash init), a process inside all of the lab's namespaces. */
	readonly pid: number;
	/** Address inside the lab network (without prefix), when the host joined one. */
	readonly address: string | undefined;
	/** Run `sh -c script` inside the lab's namespaces and root, as root, with a clean environment. Only the image's tools are there. */
	exec(script: string, options?: ExecOptions): Promise<ExecResult>;
	/** Run a MACHINE program (ping, curl, ssh, ip...) in the lab's network namespace; files and tools are the machine's. */
	machineExec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
	/** A lab file's text (symlinks resolved inside the lab). */
	readFile(path: string): Promise<string>;
	/** stat(2) of a lab path (symlinks resolved inside the lab). */
	stat(path: string): Promise<Stats>;
	/** Run a command over ssh as the operator: `ssh -F sshConfig alias script`. */
	ssh(script: string, options?: ExecOptions & {readonly sshOptions?: readonly string[]}): Promise<ExecResult>;
	/** Lab paths (e.g. `/etc/foo`) of files written or deleted since the lab was created; login accounting and journals excluded. */
	changedFiles(): Promise<string[]>;
	/** Kill every process of the lab and remove its temp dir, mounts and cgroups. Safe to call twice. */
	destroy(): Promise<void>;
}

const labPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Written by sshd, logind and journald on their own (login accounting, the journal, timer stamps): no wizard's change.
const backgroundWrites = [
	/^\/var\/log\/(wtmp|btmp|lastlog)$/,
	/^\/var\/lib\/wtmpdb\/wtmp\.db(-journal|-wal|-shm)?$/,
	/^\/var\/lib\/lastlog\/lastlog2\.db(-journal|-wal|-shm)?$/,
	/^\/var\/log\/journal\//,
	/^\/var\/lib\/systemd\//,
];

const poll = {intervalMs: 25, shellStartMs: 15_000, systemdStartMs: 60_000} as const;

// One process exit hook for all labs: kill what is left, remove temp dirs.
const atExit = new Set<() => void>();
let exitHookInstalled = false;
function onExit(callback: () => void): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const run of atExit) {
				try {
					run();
				} catch {}
			}
		});
	}

	atExit.add(callback);
}

/** Create a lab host and wait until its sshd accepts the operator's key (or, for keyIn `none`, refuses it). */
export async function createLabHost(options: LabHostOptions = {}): Promise<LabHost> {
	const alias = options.name ?? 'lab';
	if (!/^[a-z][a-z\d-]{0,30}$/i.test(alias)) throw new Error(`lab name must be letters, digits and dashes: ${alias}`);
	const keyIn = options.keyIn ?? 'authorized_keys';
	const suite = options.image ?? 'trixie';
	const init = options.init ?? 'systemd';
	await Promise.all([sweepStaleLabDirs(), sweepStaleCgroups()]);
	const [image, repo] = await Promise.all([ensureImage(suite), ensureRepo(suite)]);
	const dir = await mkdtemp(join(tmpdir(), `${labDirPrefix}${alias}-`));
	await writeFile(join(dir, 'owner'), `${ownerStamp()}\n`);
	const upperDir = join(dir, 'upper');
	const mergedDir = join(dir, 'merged');
	const identityFile = join(dir, 'id_ed25519');
	const sshConfig = join(dir, 'ssh_config');
	const knownHosts = join(dir, 'known_hosts');
	const sshdLog = init === 'systemd' ? join(dir, 'log', 'sshd.log') : join(dir, 'sshd.log');
	const initLog = join(dir, 'init.log');
	await Promise.all([mkdir(upperDir), mkdir(join(dir, 'work')), mkdir(mergedDir)]);
	const [rsaKey] = await Promise.all([
		sharedRsaHostKey(),
		execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `waymark-operator@${alias}`, '-f', identityFile]),
	]);
	const publicKey = (await readFile(`${identityFile}.pub`, 'utf8')).trim();
	await writeFile(join(dir, 'init.sh'), init === 'systemd' ? systemdInit : shellInit);

	let cgroup: LabCgroup | undefined;
	let holder: ChildProcess | undefined;
	let pid = 0;
	let destroyed = false;
	let namespaces: readonly string[] = [];
	let network: LabHostNetwork | undefined;

	const destroy = async (): Promise<void> => {
		if (destroyed) return;
		destroyed = true;
		atExit.delete(killOnExit);
		const targets = new Set<number>();
		if (pid > 0) targets.add(pid);
		if (holder?.pid !== undefined) targets.add(holder.pid);
		cgroup?.killSync();
		for (const target of targets) signal(target, 'SIGKILL');
		// ProxyCommand socats and anything else that entered the lab's namespaces from outside its pid namespace.
		for (let i = 0; i < 400; i++) {
			const left = [...(await processesIn(namespaces)), ...[...targets].filter(target => isAlive(target))];
			if (left.length === 0) break;
			for (const target of left) signal(target, 'SIGKILL');
			await sleep(poll.intervalMs);
		}

		await cgroup?.remove();
		if (network !== undefined) await leaveNetwork(network);
		await removeDir(dir);
	};

	const killOnExit = (): void => {
		cgroup?.killSync();
		if (pid > 0) signal(pid, 'SIGKILL');
		if (holder?.pid !== undefined) signal(holder.pid, 'SIGKILL');
		// The cgroups are empty only once the kernel has finished the kills: the next test process sweeps them.
		rmSync(dir, {recursive: true, force: true});
	};
	onExit(killOnExit);

	const failWith = async (reason: string): Promise<never> => {
		const [initText, sshd] = await Promise.all([readText(initLog), readText(sshdLog)]);
		await destroy();
		throw new Error(`lab host ${alias} (${suite}, init ${init}): ${reason}\n--- init log ---\n${initText}\n--- sshd log ---\n${sshd}`);
	};

	try {
		if (init === 'systemd') cgroup = await createLabCgroup(`${labCgroupPrefix}${ownerStamp().replace(' ', '-')}-${alias}-${randomBytes(3).toString('hex')}`);
	} catch (error) {
		return failWith((error as Error).message);
	}

	const logFd = openSync(initLog, 'a');
	try {
		const namespacesArgs =
			init === 'systemd'
				? // nspawn makes the rest of the namespaces; this one keeps the overlay off the machine's mount table.
					['--mount', '--propagation', 'private']
				: // --kill-child: pid 1 dies with unshare, and with it the pid namespace.
					['--mount', '--net', '--pid', '--uts', '--ipc', '--fork', '--kill-child', '--propagation', 'private'];
		// setpriv: the lab dies with this process (KILL for the shell init; TERM lets the systemd one kill its cgroup).
		holder = spawn('setpriv', ['--pdeathsig', init === 'systemd' ? 'TERM' : 'KILL', '--', 'unshare', ...namespacesArgs, '--', 'bash', join(dir, 'init.sh')], {
			stdio: ['ignore', logFd, logFd],
			env: {
				PATH: labPath,
				LANG: 'C.UTF-8',
				LAB_DIR: dir,
				LAB_KEY_IN: keyIn,
				LAB_PATH: labPath,
				LAB_RSA_KEY: rsaKey,
				LAB_IMAGE: image,
				LAB_REPO: repo,
				LAB_REPO_PATH: labRepoPath,
				LAB_NAME: alias,
				LAB_MACHINE: `${alias}-${randomBytes(3).toString('hex')}`,
				LAB_MACHINE_ID: randomBytes(16).toString('hex'),
				LAB_CGROUPS: cgroup?.dirs.join(' ') ?? '',
			},
		});
	} finally {
		closeSync(logFd);
	}

	let exited = false;
	let spawnError = '';
	holder.on('exit', () => {
		exited = true;
	});
	holder.on('error', error => {
		exited = true;
		spawnError = error.message;
	});
	// A test that forgets destroy() must not hang its process; the exit hook still kills the lab.
	holder.unref();
	const holderPid = holder.pid;
	if (holderPid === undefined) return failWith('could not start setpriv/unshare');

	// Ready when the init has prepared the root, its pid 1 exists, and sshd has bound and written its pid file.
	const startMs = init === 'systemd' ? poll.systemdStartMs : poll.shellStartMs;
	const deadline = Date.now() + startMs;
	const rootOf = (leader: number): string => (init === 'systemd' ? `/proc/${leader}/root` : `/proc/${leader}/root${mergedDir}`);
	while (Date.now() < deadline) {
		if (exited) return failWith(`init exited early ${spawnError}`);
		if (pid === 0 && (await exists(join(dir, 'ready')))) pid = init === 'systemd' ? await containerLeader(holderPid) : ((await childrenOf(holderPid))[0] ?? 0);
		if (pid > 0 && (await exists(`${rootOf(pid)}/run/sshd.pid`))) break;
		await sleep(poll.intervalMs);
	}

	if (pid === 0 || !(await exists(`${rootOf(pid)}/run/sshd.pid`))) return failWith(`sshd did not start within ${startMs} ms`);
	namespaces = [...(await namespaceIds(pid)), ...(init === 'systemd' ? [await readlink(`/proc/${holderPid}/ns/mnt`).catch(() => '')] : [])].filter(Boolean);
	if (namespaces.length === 0 || (await sharesNamespaceWithMachine(pid))) return failWith('the lab does not have namespaces of its own');

	const rootDir = rootOf(pid);
	const knownLines: string[] = [];
	for (const file of (await readdir(join(upperDir, 'etc/ssh'))).filter(name => /^ssh_host_.*_key\.pub$/.test(name)).sort()) {
		const [type, key] = (await readFile(join(upperDir, 'etc/ssh', file), 'utf8')).trim().split(/\s+/);
		if (type !== undefined && key !== undefined) knownLines.push(`${alias} ${type} ${key}`);
	}

	await writeFile(knownHosts, `${knownLines.join('\n')}\n`, {mode: 0o600});
	await writeFile(sshConfig, sshConfigBlock({alias, pid, identityFile, knownHosts}), {mode: 0o600});

	const run = async (command: string, args: readonly string[], execOptions: ExecOptions): Promise<ExecResult> => {
		const result = await execa(command, args, {
			reject: false,
			input: execOptions.input ?? '',
			timeout: execOptions.timeoutMs ?? 60_000,
			stripFinalNewline: false,
		});
		return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
	};

	const cleanShell = ['/usr/bin/env', '-i', `PATH=${labPath}`, 'HOME=/root', 'LANG=C.UTF-8', 'USER=root', 'LOGNAME=root', 'SHELL=/bin/sh', '/bin/sh', '-c'];
	const exec = async (script: string, execOptions: ExecOptions = {}): Promise<ExecResult> =>
		init === 'systemd'
			? // The container's mount namespace has the image as its /: no chroot.
				run('nsenter', ['-t', String(pid), '--mount', '--net', '--pid', '--uts', '--ipc', '--cgroup', '--', ...cleanShell, script], execOptions)
			: run('nsenter', ['-t', String(pid), '--mount', '--net', '--pid', '--uts', '--ipc', '--', 'chroot', mergedDir, ...cleanShell, script], execOptions);
	const machineExec = async (argv: readonly string[], execOptions: ExecOptions = {}): Promise<ExecResult> => {
		if (argv.length === 0) throw new Error('machineExec needs a program');
		return run('nsenter', [`--net=/proc/${pid}/ns/net`, '--', ...argv], execOptions);
	};

	const ssh = async (script: string, sshOptions: ExecOptions & {readonly sshOptions?: readonly string[]} = {}): Promise<ExecResult> =>
		run('ssh', ['-F', sshConfig, ...(sshOptions.sshOptions ?? []), alias, script], sshOptions);

	if (options.network !== undefined) {
		network = options.network;
		try {
			await joinNetwork(pid, options.network);
		} catch (error) {
			return failWith(`could not join the lab network: ${(error as Error).message}`);
		}
	}

	// sshd has its pid file; now it must answer: with a session, or (keyIn none) by refusing the key.
	let last: ExecResult | undefined;
	const sshDeadline = Math.max(deadline, Date.now() + 10_000);
	for (let i = 0; i < 400 && Date.now() < sshDeadline; i++) {
		last = await ssh('true', {timeoutMs: 10_000});
		if (keyIn === 'none' ? /Permission denied/.test(last.stderr) : last.exitCode === 0) break;
		await sleep(poll.intervalMs * 2);
	}

	if (keyIn === 'none' ? !/Permission denied/.test(last?.stderr ?? '') : last?.exitCode !== 0) {
		return failWith(`ssh -F ${sshConfig} ${alias} true: exit ${last?.exitCode ?? 'none'}: ${last?.stderr ?? ''}`);
	}

	const baseline = await snapshot(upperDir);

	return {
		alias,
		image: suite,
		init,
		sshConfig,
		dir,
		upperDir,
		mergedDir,
		rootDir,
		identityFile,
		publicKey,
		sshdLog,
		pid,
		address: options.network?.address.replace(/\/\d+$/, ''),
		exec,
		machineExec,
		readFile: async (path: string) => readLabFile(rootDir, path),
		stat: async (path: string) => statLabPath(rootDir, path),
		ssh,
		async changedFiles() {
			const now = await snapshot(upperDir);
			const changed: string[] = [];
			for (const [path, stamp] of now) {
				if (baseline.get(path) !== stamp && !backgroundWrites.some(pattern => pattern.test(path))) changed.push(path);
			}

			return changed.sort();
		},
		destroy,
	};
}

// nspawn is the starter's child; the container's pid 1 is nspawn's child in a pid namespace of its own.
async function containerLeader(starter: number): Promise<number> {
	for (const nspawn of await childrenOf(starter)) {
		const outer = await readlink(`/proc/${nspawn}/ns/pid`).catch(() => '');
		for (const child of await childrenOf(nspawn)) {
			const inner = await readlink(`/proc/${child}/ns/pid`).catch(() => '');
			if (inner !== '' && outer !== '' && inner !== outer) return child;
		}
	}

	return 0;
}

const labDirPrefix = 'waymark-lab-';

let swept = false;

// A test process killed with SIGKILL cannot remove its labs' dirs (its labs die with it): remove them later.
async function sweepStaleLabDirs(): Promise<void> {
	if (swept) return;
	swept = true;
	for (const name of await readdir(tmpdir()).catch(() => [])) {
		if (!name.startsWith(labDirPrefix)) continue;
		const dir = join(tmpdir(), name);
		const owner = await readText(join(dir, 'owner'));
		if (owner === '' || ownerAlive(owner)) continue;
		await rm(dir, {recursive: true, force: true}).catch(() => undefined);
	}
}

let rsaHostKey: Promise<string> | undefined;

// RSA keygen takes 0.1-1 s; labs share one RSA host key per test process (ed25519 and ECDSA are per lab).
async function sharedRsaHostKey(): Promise<string> {
	rsaHostKey ??= (async () => {
		const keyDir = await mkdtemp(join(tmpdir(), `${labDirPrefix}rsa-`));
		await writeFile(join(keyDir, 'owner'), `${ownerStamp()}\n`);
		onExit(() => {
			rmSync(keyDir, {recursive: true, force: true});
		});
		const key = join(keyDir, 'ssh_host_rsa_key');
		await execa('ssh-keygen', ['-q', '-t', 'rsa', '-b', '3072', '-N', '', '-C', 'waymark-lab', '-f', key]);
		return key;
	})();
	return rsaHostKey;
}

/** The `Host` block that reaches a lab's sshd through its network namespace. */
export function sshConfigBlock(host: {readonly alias: string; readonly pid: number; readonly identityFile: string; readonly knownHosts: string}): string {
	return [
		`Host ${host.alias}`,
		'  HostName 127.0.0.1',
		'  Port 22',
		'  User root',
		`  IdentityFile ${host.identityFile}`,
		'  IdentitiesOnly yes',
		`  UserKnownHostsFile ${host.knownHosts}`,
		'  GlobalKnownHostsFile /dev/null',
		`  HostKeyAlias ${host.alias}`,
		'  StrictHostKeyChecking accept-new',
		'  BatchMode yes',
		'  ConnectTimeout 10',
		'  LogLevel ERROR',
		`  ProxyCommand nsenter --net=/proc/${host.pid}/ns/net socat - TCP:127.0.0.1:%p`,
		'',
	].join('\n');
}

export interface LabNetwork {
	/** The hosts, joined by one bridge; host i has address 10.99.0.(i+1). */
	readonly hosts: readonly LabHost[];
	/** One ssh config with a Host block for every host. */
	readonly sshConfig: string;
	/** Destroy every host and the bridge. */
	destroy(): Promise<void>;
}

export interface LabNetworkOptions {
	/** The first three octets of the lab subnet (a /24). Default `10.99.0`. */
	readonly subnet?: string;
	/** Host names are `<prefix><n>`, n from 1. Default `lab`. */
	readonly prefix?: string;
	readonly keyIn?: KeyPlacement;
	/** For every host; defaults as createLabHost. */
	readonly image?: Suite;
	readonly init?: LabInit;
}

/**
 * `count` lab hosts on one bridge that lives in a namespace of its own. Addresses exist only
 * inside the namespaces; the machine's own network namespace is never changed.
 */
export async function createLabNetwork(count: number, options: LabNetworkOptions = {}): Promise<LabNetwork> {
	const subnet = options.subnet ?? '10.99.0';
	if (!/^(\d{1,3}\.){2}\d{1,3}$/.test(subnet)) throw new Error(`subnet must be three octets: ${subnet}`);
	if (!Number.isInteger(count) || count < 1 || count > 250) throw new Error(`count must be 1 to 250: ${count}`);
	const prefix = options.prefix ?? 'lab';
	await sweepStaleLabDirs();
	const dir = await mkdtemp(join(tmpdir(), `${labDirPrefix}net-`));
	await writeFile(join(dir, 'owner'), `${ownerStamp()}\n`);
	const hosts: LabHost[] = [];
	let bridge: Awaited<ReturnType<typeof startSwitch>> | undefined;
	const killBridge = (): void => {
		bridge?.killSync();
		rmSync(dir, {recursive: true, force: true});
	};
	onExit(killBridge);
	let stopped = false;
	const destroy = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		await Promise.all(hosts.map(async host => host.destroy()));
		atExit.delete(killBridge);
		await bridge?.stop();
		await removeDir(dir);
	};

	try {
		bridge = await startSwitch(dir);
		const switchPid = bridge.pid;
		const created = await Promise.allSettled(
			Array.from({length: count}, async (_, i) =>
				createLabHost({
					name: `${prefix}${i + 1}`,
					keyIn: options.keyIn,
					image: options.image,
					init: options.init,
					network: {switchPid, address: `${subnet}.${i + 1}/24`, port: `port${i + 1}`},
				}),
			),
		);
		for (const result of created) if (result.status === 'fulfilled') hosts.push(result.value);
		const failed = created.find(result => result.status === 'rejected');
		if (failed !== undefined) throw failed.reason;

		const sshConfig = join(dir, 'ssh_config');
		const blocks = await Promise.all(hosts.map(async host => readFile(host.sshConfig, 'utf8')));
		await writeFile(sshConfig, blocks.join('\n'), {mode: 0o600});
		return {hosts, sshConfig, destroy};
	} catch (error) {
		await destroy();
		throw error;
	}
}

// path -> "mode size mtime ctime" for every non-directory entry (whiteouts included).
async function snapshot(upper: string): Promise<Map<string, string>> {
	const entries = new Map<string, string>();
	const walk = async (relative: string, depth: number): Promise<void> => {
		if (depth > 64) return;
		let names: string[];
		try {
			names = await readdir(join(upper, relative));
		} catch {
			return;
		}

		for (const name of names) {
			const path = `${relative}/${name}`;
			let stats: Stats;
			try {
				stats = await lstat(join(upper, path));
			} catch {
				// Removed while walking (a journal file rotated): not there now.
				continue;
			}

			if (stats.isDirectory()) {
				await walk(path, depth + 1);
			} else {
				entries.set(path, `${stats.mode} ${stats.size} ${stats.mtimeMs} ${stats.ctimeMs}`);
			}
		}
	};

	await walk('', 0);
	return entries;
}

async function removeDir(dir: string): Promise<void> {
	for (let i = 0; i < 20; i++) {
		try {
			await rm(dir, {recursive: true, force: true});
			return;
		} catch (error) {
			if (i === 19) throw error;
			await sleep(50);
		}
	}
}
