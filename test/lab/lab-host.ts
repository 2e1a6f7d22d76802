// Disposable lab hosts: an overlay of `/` in private mount, network, pid, uts and ipc namespaces,
// with a real sshd on the namespace's 127.0.0.1:22, reached through an ssh config whose ProxyCommand
// enters the namespace. Nothing is written to the machine's / and no address outside is contacted.
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, openSync, readFileSync, rmSync} from 'node:fs';
import {lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';

/** Where the operator's key is installed in the lab's /root/.ssh. */
export type KeyPlacement = 'authorized_keys' | 'authorized_keys2' | 'none';

/** How a lab host joins a lab network (see createLabNetwork). */
export interface LabHostNetwork {
	/** A process inside the network namespace that holds the lab bridge `br0`. */
	readonly switchPid: number;
	/** The host's address with prefix, inside the lab network only, e.g. `10.99.0.1/24`. */
	readonly address: string;
	/** Name of the bridge port in the switch namespace. */
	readonly port: string;
}

export interface LabHostOptions {
	/** Ssh alias and lab name; letters, digits and dashes. Default `lab`. */
	readonly name?: string;
	/** Where the operator's public key goes; `none` leaves root with no working key. Default `authorized_keys`. */
	readonly keyIn?: KeyPlacement;
	/** Join a lab network; created by createLabNetwork. */
	readonly network?: LabHostNetwork;
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
	/** An ssh client config with a `Host <alias>` block: `ssh -F sshConfig alias true` works. */
	readonly sshConfig: string;
	/** The private temp dir that holds everything below. */
	readonly dir: string;
	/** The overlay's upper dir: exactly the files the lab changed, as seen from the machine. */
	readonly upperDir: string;
	/** The merged root, as a path inside the lab's mount namespace. */
	readonly mergedDir: string;
	/** The merged root, as a path the machine can read and write (through /proc/PID/root). */
	readonly rootDir: string;
	/** The operator's private key (ed25519, no passphrase). */
	readonly identityFile: string;
	/** The operator's public key line. */
	readonly publicKey: string;
	/** sshd's stderr (`-e`). */
	readonly sshdLog: string;
	/** Machine pid of the lab's init, a process inside all of the lab's namespaces. */
	readonly pid: number;
	/** Address inside the lab network (without prefix), when the host joined one. */
	readonly address: string | undefined;
	/** Run `sh -c script` inside the lab's namespaces and chroot, as root, with a clean environment. */
	exec(script: string, options?: ExecOptions): Promise<ExecResult>;
	/** Run a command over ssh as the operator: `ssh -F sshConfig alias script`. */
	ssh(script: string, options?: ExecOptions & {readonly sshOptions?: readonly string[]}): Promise<ExecResult>;
	/** Lab paths (e.g. `/etc/foo`) of files written or deleted since the lab was created; login accounting excluded. */
	changedFiles(): Promise<string[]>;
	/** Kill every process of the lab and remove its temp dir. Safe to call twice. */
	destroy(): Promise<void>;
}

const labPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Login accounting that sshd updates on every login; not a change a wizard made.
const loginAccounting = new Set(['/var/log/wtmp', '/var/log/btmp', '/var/log/lastlog']);

const poll = {tries: 200, intervalMs: 50} as const;

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

// Runs as the lab's pid 1 (machine root, before chroot): builds the root, starts sshd, reaps orphans.
const initScript = String.raw`set -eu
T=$LAB_DIR
M=$T/merged
ip link set lo up
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/upper,workdir=$T/work" "$M"
mount -t proc proc "$M/proc"
mount --rbind /dev "$M/dev"
mount -t sysfs sysfs "$M/sys"
if [ -d /sys/fs/cgroup ] && [ -d "$M/sys/fs/cgroup" ]; then mount --rbind /sys/fs/cgroup "$M/sys/fs/cgroup"; fi
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$M/run"
mkdir -p -m 0755 "$M/run/sshd" "$M/run/lock"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/tmp"
rm -f "$M"/etc/ssh/ssh_host_*_key "$M"/etc/ssh/ssh_host_*_key.pub
if [ -n "$LAB_RSA_KEY" ]; then
	install -m 0600 "$LAB_RSA_KEY" "$M/etc/ssh/ssh_host_rsa_key"
	install -m 0644 "$LAB_RSA_KEY.pub" "$M/etc/ssh/ssh_host_rsa_key.pub"
fi
chroot "$M" /usr/bin/ssh-keygen -A
rm -f "$M/root/.ssh/authorized_keys" "$M/root/.ssh/authorized_keys2"
if [ "$LAB_KEY_IN" != none ]; then
	mkdir -p -m 0700 "$M/root/.ssh"
	cat "$T/id_ed25519.pub" > "$M/root/.ssh/$LAB_KEY_IN"
	chmod 0600 "$M/root/.ssh/$LAB_KEY_IN"
fi
chroot "$M" /usr/bin/env -i PATH="$LAB_PATH" /usr/sbin/sshd -D -e >>"$T/sshd.log" 2>&1 </dev/null &
: > "$T/ready"
trap 'exit 0' TERM INT HUP
while :; do wait || :; sleep 3600 & wait $! || :; done
`;

/** Create a lab host and wait until its sshd accepts the operator's key (unless keyIn is `none`). */
export async function createLabHost(options: LabHostOptions = {}): Promise<LabHost> {
	const alias = options.name ?? 'lab';
	if (!/^[a-z][a-z\d-]{0,30}$/i.test(alias)) throw new Error(`lab name must be letters, digits and dashes: ${alias}`);
	const keyIn = options.keyIn ?? 'authorized_keys';
	await sweepStaleLabDirs();
	const dir = await mkdtemp(join(tmpdir(), `${labDirPrefix}${alias}-`));
	await writeFile(join(dir, 'owner'), `${process.pid} ${processStart(process.pid)}\n`);
	const upperDir = join(dir, 'upper');
	const mergedDir = join(dir, 'merged');
	const identityFile = join(dir, 'id_ed25519');
	const sshConfig = join(dir, 'ssh_config');
	const knownHosts = join(dir, 'known_hosts');
	const sshdLog = join(dir, 'sshd.log');
	const initLog = join(dir, 'init.log');
	await Promise.all([mkdir(upperDir), mkdir(join(dir, 'work')), mkdir(mergedDir)]);
	const [rsaKey] = await Promise.all([
		sharedRsaHostKey(),
		execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `waymark-operator@${alias}`, '-f', identityFile]),
	]);
	const publicKey = (await readFile(`${identityFile}.pub`, 'utf8')).trim();
	await writeFile(join(dir, 'init.sh'), initScript);

	const logFd = openSync(initLog, 'a');
	let holder: ChildProcess;
	try {
		// setpriv: the lab dies with this process; --kill-child: pid 1 dies with unshare, and with it the pid namespace.
		holder = spawn(
			'setpriv',
			[
				'--pdeathsig',
				'KILL',
				'--',
				'unshare',
				'--mount',
				'--net',
				'--pid',
				'--uts',
				'--ipc',
				'--fork',
				'--kill-child',
				'--propagation',
				'private',
				'--',
				'bash',
				join(dir, 'init.sh'),
			],
			{
				stdio: ['ignore', logFd, logFd],
				env: {PATH: labPath, LAB_DIR: dir, LAB_KEY_IN: keyIn, LAB_PATH: labPath, LAB_RSA_KEY: rsaKey, LANG: 'C.UTF-8'},
			},
		);
	} finally {
		closeSync(logFd);
	}

	let exited = false;
	let spawnError = '';
	holder.on('exit', () => {
		exited = true;
	});
	holder.on('error', (error) => {
		exited = true;
		spawnError = error.message;
	});
	// A test that forgets destroy() must not hang its process; the exit hook still kills the lab.
	holder.unref();
	const holderPid = holder.pid;
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
		if (holderPid !== undefined) targets.add(holderPid);
		for (const target of targets) signal(target, 'SIGKILL');
		// ProxyCommand socats and anything else that entered the lab's namespaces outside its pid namespace.
		for (let i = 0; i < poll.tries; i++) {
			const left = [...(await processesIn(namespaces)), ...[...targets].filter((target) => isAlive(target))];
			if (left.length === 0) break;
			for (const target of left) signal(target, 'SIGKILL');
			await sleep(poll.intervalMs);
		}

		if (network !== undefined) {
			await execa('nsenter', [`--net=/proc/${network.switchPid}/ns/net`, 'ip', 'link', 'del', network.port], {reject: false});
		}

		await removeDir(dir);
	};

	const killOnExit = (): void => {
		if (pid > 0) signal(pid, 'SIGKILL');
		if (holderPid !== undefined) signal(holderPid, 'SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	};
	onExit(killOnExit);

	const failWith = async (reason: string): Promise<never> => {
		const [init, sshd] = await Promise.all([readText(initLog), readText(sshdLog)]);
		await destroy();
		throw new Error(`lab host ${alias}: ${reason}\n--- init log ---\n${init}\n--- sshd log ---\n${sshd}`);
	};

	if (holderPid === undefined) return failWith('could not start setpriv/unshare');

	// Ready when init has built the root and started sshd, and sshd has bound and written its pid file.
	const started = Date.now();
	const deadline = started + poll.tries * poll.intervalMs;
	for (let i = 0; i < poll.tries && Date.now() < deadline; i++) {
		if (exited) return failWith(`init exited early ${spawnError}`);
		if (pid === 0) pid = await firstChild(holderPid);
		if (pid > 0 && (await exists(join(dir, 'ready'))) && (await exists(`/proc/${pid}/root${mergedDir}/run/sshd.pid`))) break;
		await sleep(poll.intervalMs);
	}

	if (pid === 0 || !(await exists(`/proc/${pid}/root${mergedDir}/run/sshd.pid`))) {
		return failWith(`sshd did not start within ${poll.tries * poll.intervalMs} ms`);
	}

	namespaces = await namespaceIds(pid);
	if (namespaces.length === 0 || (await sharesNamespaceWithMachine(pid))) {
		return failWith('the lab does not have namespaces of its own');
	}

	const rootDir = `/proc/${pid}/root${mergedDir}`;
	const hostKeys = await readdir(join(rootDir, 'etc/ssh'));
	const knownLines: string[] = [];
	for (const file of hostKeys.filter((name) => /^ssh_host_.*_key\.pub$/.test(name)).sort()) {
		const [type, key] = (await readFile(join(rootDir, 'etc/ssh', file), 'utf8')).trim().split(/\s+/);
		if (type !== undefined && key !== undefined) knownLines.push(`${alias} ${type} ${key}`);
	}

	await writeFile(knownHosts, `${knownLines.join('\n')}\n`, {mode: 0o600});
	await writeFile(sshConfig, sshConfigBlock({alias, pid, identityFile, knownHosts}), {mode: 0o600});

	const exec = async (script: string, execOptions: ExecOptions = {}): Promise<ExecResult> => {
		const result = await execa(
			'nsenter',
			[
				'-t',
				String(pid),
				'--mount',
				'--net',
				'--pid',
				'--uts',
				'--ipc',
				'--',
				'chroot',
				mergedDir,
				'/usr/bin/env',
				'-i',
				`PATH=${labPath}`,
				'HOME=/root',
				'LANG=C.UTF-8',
				'USER=root',
				'LOGNAME=root',
				'SHELL=/bin/sh',
				'/bin/sh',
				'-c',
				script,
			],
			{reject: false, input: execOptions.input ?? '', timeout: execOptions.timeoutMs ?? 60_000, stripFinalNewline: false},
		);
		return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
	};

	const ssh = async (
		script: string,
		sshOptions: ExecOptions & {readonly sshOptions?: readonly string[]} = {},
	): Promise<ExecResult> => {
		const result = await execa('ssh', ['-F', sshConfig, ...(sshOptions.sshOptions ?? []), alias, script], {
			reject: false,
			input: sshOptions.input ?? '',
			timeout: sshOptions.timeoutMs ?? 60_000,
			stripFinalNewline: false,
		});
		return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
	};

	if (options.network !== undefined) {
		network = options.network;
		try {
			await joinNetwork(pid, options.network, exec);
		} catch (error) {
			return failWith(`could not join the lab network: ${(error as Error).message}`);
		}
	}

	if (keyIn !== 'none') {
		let last: ExecResult | undefined;
		for (let i = 0; i < 20 && Date.now() < deadline + 5000; i++) {
			last = await ssh('true', {timeoutMs: 10_000});
			if (last.exitCode === 0) break;
			await sleep(poll.intervalMs);
		}

		if (last?.exitCode !== 0) return failWith(`ssh -F ${sshConfig} ${alias} true failed: ${last?.stderr ?? ''}`);
	}

	const baseline = await snapshot(upperDir);

	return {
		alias,
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
		ssh,
		async changedFiles() {
			const now = await snapshot(upperDir);
			const changed: string[] = [];
			for (const [path, stamp] of now) {
				if (baseline.get(path) !== stamp && !loginAccounting.has(path)) changed.push(path);
			}

			return changed.sort();
		},
		destroy,
	};
}

const labDirPrefix = 'waymark-lab-';

// Start time of a process (field 22 of /proc/PID/stat), to tell a live owner from a reused pid.
function processStart(pid: number): string {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
	} catch {
		return '';
	}
}

let swept = false;

// A test process killed with SIGKILL cannot remove its labs' dirs (its labs die with it): remove them later.
async function sweepStaleLabDirs(): Promise<void> {
	if (swept) return;
	swept = true;
	for (const name of await readdir(tmpdir()).catch(() => [])) {
		if (!name.startsWith(labDirPrefix)) continue;
		const dir = join(tmpdir(), name);
		const [owner, started] = (await readText(join(dir, 'owner'))).trim().split(' ');
		const ownerPid = Number.parseInt(owner ?? '', 10);
		if (!Number.isInteger(ownerPid) || ownerPid <= 0) continue;
		if (isAlive(ownerPid) && processStart(ownerPid) === started) continue;
		await rm(dir, {recursive: true, force: true}).catch(() => undefined);
	}
}

let rsaHostKey: Promise<string> | undefined;

// RSA keygen takes 0.1-1 s; labs share one RSA host key per test process (ed25519 and ECDSA are per lab).
async function sharedRsaHostKey(): Promise<string> {
	rsaHostKey ??= (async () => {
		const keyDir = await mkdtemp(join(tmpdir(), `${labDirPrefix}rsa-`));
		await writeFile(join(keyDir, 'owner'), `${process.pid} ${processStart(process.pid)}\n`);
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
export function sshConfigBlock(host: {
	readonly alias: string;
	readonly pid: number;
	readonly identityFile: string;
	readonly knownHosts: string;
}): string {
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
	await writeFile(join(dir, 'owner'), `${process.pid} ${processStart(process.pid)}\n`);
	const log = join(dir, 'bridge.log');
	const logFd = openSync(log, 'a');
	let bridge: ChildProcess;
	try {
		bridge = spawn(
			'setpriv',
			[
				'--pdeathsig',
				'KILL',
				'--',
				'unshare',
				'--net',
				'--',
				'sh',
				'-c',
				'ip link set lo up && ip link add br0 type bridge && ip link set br0 up && : > "$1/ready" && exec sleep infinity',
				'sh',
				dir,
			],
			{stdio: ['ignore', logFd, logFd], env: {PATH: labPath}},
		);
	} finally {
		closeSync(logFd);
	}

	let bridgeExited = false;
	bridge.on('exit', () => {
		bridgeExited = true;
	});
	bridge.on('error', () => {
		bridgeExited = true;
	});
	bridge.unref();
	const killBridge = (): void => {
		if (bridge.pid !== undefined) signal(bridge.pid, 'SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	};
	onExit(killBridge);
	const hosts: LabHost[] = [];
	let stopped = false;
	const destroy = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		await Promise.all(hosts.map(async (host) => host.destroy()));
		atExit.delete(killBridge);
		if (bridge.pid !== undefined) signal(bridge.pid, 'SIGKILL');
		for (let i = 0; i < poll.tries && bridge.pid !== undefined && isAlive(bridge.pid); i++) await sleep(poll.intervalMs);
		await removeDir(dir);
	};

	try {
		for (let i = 0; i < poll.tries && !bridgeExited && !(await exists(join(dir, 'ready'))); i++) await sleep(poll.intervalMs);
		if (!(await exists(join(dir, 'ready')))) throw new Error(`lab bridge did not start: ${await readText(log)}`);
		const switchPid = bridge.pid ?? 0;
		if (await sharesNamespaceWithMachine(switchPid)) throw new Error('lab bridge is not in a namespace of its own');
		const created = await Promise.allSettled(
			Array.from({length: count}, async (_, i) =>
				createLabHost({
					name: `${prefix}${i + 1}`,
					keyIn: options.keyIn,
					network: {switchPid, address: `${subnet}.${i + 1}/24`, port: `port${i + 1}`},
				}),
			),
		);
		for (const result of created) if (result.status === 'fulfilled') hosts.push(result.value);
		const failed = created.find((result) => result.status === 'rejected');
		if (failed !== undefined) throw failed.reason;

		const sshConfig = join(dir, 'ssh_config');
		const blocks = await Promise.all(hosts.map(async (host) => readFile(host.sshConfig, 'utf8')));
		await writeFile(sshConfig, blocks.join('\n'), {mode: 0o600});
		return {hosts, sshConfig, destroy};
	} catch (error) {
		await destroy();
		throw error;
	}
}

// A veth pair: one end on the bridge in the switch namespace, the other as eth0 in the lab.
async function joinNetwork(
	pid: number,
	network: LabHostNetwork,
	exec: (script: string) => Promise<ExecResult>,
): Promise<void> {
	if (!/^[\d.]+\/\d+$/.test(network.address)) throw new Error(`address must be IPv4/prefix: ${network.address}`);
	if (!/^[a-z][a-z\d]{0,14}$/.test(network.port)) throw new Error(`bad port name: ${network.port}`);
	if (await sharesNamespaceWithMachine(network.switchPid)) throw new Error('the switch shares the machine namespace');
	const inSwitch = ['--net=/proc/' + String(network.switchPid) + '/ns/net', 'ip', 'link'];
	await execa('nsenter', [...inSwitch, 'add', network.port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(pid)]);
	await execa('nsenter', [...inSwitch, 'set', network.port, 'master', 'br0', 'up']);
	const result = await exec(`ip addr add ${network.address} dev eth0 && ip link set eth0 up`);
	if (result.exitCode !== 0) throw new Error(result.stderr);
}

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {}
}

// A zombie counts as gone: its parent may be the machine's init, which reaps when it likes.
function isAlive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		return state !== 'Z' && state !== 'X' && state !== '';
	} catch {
		return false;
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

async function readText(path: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch {
		return '';
	}
}

// The process unshare forked: pid 1 of the lab's pid namespace.
async function firstChild(parent: number): Promise<number> {
	const text = await readText(`/proc/${parent}/task/${parent}/children`);
	const first = Number.parseInt(text.trim().split(/\s+/)[0] ?? '', 10);
	return Number.isInteger(first) && first > 0 ? first : 0;
}

/** The mount and net namespace ids of a process, e.g. `net:[4026532290]`. */
export async function namespaceIds(pid: number): Promise<string[]> {
	try {
		return [await readlink(`/proc/${pid}/ns/mnt`), await readlink(`/proc/${pid}/ns/net`)];
	} catch {
		return [];
	}
}

async function sharesNamespaceWithMachine(pid: number): Promise<boolean> {
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
		if (ids.some((id) => wanted.has(id))) found.push(pid);
	}

	return found;
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
			const stats = await lstat(join(upper, path));
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
			await sleep(poll.intervalMs);
		}
	}
}
