// The lab network: a bridge in a network namespace of its own, and a veth pair per host into it. Addresses
// exist only inside the namespaces; the machine's own network namespace is never changed.
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {exists, isAlive, readText, sharesNamespaceWithMachine, signal} from './procs.js';

/** How a lab host joins a lab network (see createLabNetwork). */
export interface LabHostNetwork {
	/** A process inside the network namespace that holds the lab bridge `br0`. */
	readonly switchPid: number;
	/** The host's address with prefix, inside the lab network only, e.g. `10.99.0.1/24`. */
	readonly address: string;
	/** Name of the bridge port in the switch namespace. */
	readonly port: string;
}

export interface LabSwitch {
	readonly pid: number;
	stop(): Promise<void>;
	/** For exit hooks. */
	killSync(): void;
}

const machinePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A `sleep` in a new network namespace with `br0` up; the namespace lives as long as it does. */
export async function startSwitch(dir: string): Promise<LabSwitch> {
	const log = join(dir, 'bridge.log');
	const logFd = openSync(log, 'a');
	let exited = false;
	let child: ChildProcess;
	try {
		child = spawn(
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
			{stdio: ['ignore', logFd, logFd], env: {PATH: machinePath}},
		);
	} finally {
		closeSync(logFd);
	}

	child.on('exit', () => {
		exited = true;
	});
	child.on('error', () => {
		exited = true;
	});
	child.unref();
	const pid = child.pid ?? 0;
	const killSync = (): void => {
		if (pid > 0) signal(pid, 'SIGKILL');
	};

	const stop = async (): Promise<void> => {
		killSync();
		for (let i = 0; i < 200 && pid > 0 && isAlive(pid); i++) await sleep(25);
	};

	for (let i = 0; i < 200 && !exited && !(await exists(join(dir, 'ready'))); i++) await sleep(25);
	if (!(await exists(join(dir, 'ready')))) {
		await stop();
		throw new Error(`lab bridge did not start: ${await readText(log)}`);
	}

	if (await sharesNamespaceWithMachine(pid)) {
		await stop();
		throw new Error('lab bridge is not in a namespace of its own');
	}

	return {pid, stop, killSync};
}

/** A veth pair: one end on the bridge in the switch namespace, the other as eth0 in the network namespace of `pid`. */
export async function joinNetwork(pid: number, network: LabHostNetwork): Promise<void> {
	if (!/^[\d.]+\/\d+$/.test(network.address)) throw new Error(`address must be IPv4/prefix: ${network.address}`);
	if (!/^[a-z][a-z\d]{0,14}$/.test(network.port)) throw new Error(`bad port name: ${network.port}`);
	if (await sharesNamespaceWithMachine(network.switchPid)) throw new Error('the switch shares the machine namespace');
	if (await sharesNamespaceWithMachine(pid)) throw new Error('the lab shares the machine namespace');
	const inSwitch = [`--net=/proc/${network.switchPid}/ns/net`, 'ip', 'link'];
	await execa('nsenter', [...inSwitch, 'add', network.port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(pid)]);
	await execa('nsenter', [...inSwitch, 'set', network.port, 'master', 'br0', 'up']);
	// The machine's ip, in the lab's network namespace only: the image's tools are not needed for this.
	const inLab = [`--net=/proc/${pid}/ns/net`, 'ip'];
	await execa('nsenter', [...inLab, 'addr', 'add', network.address, 'dev', 'eth0']);
	await execa('nsenter', [...inLab, 'link', 'set', 'eth0', 'up']);
}

/** Remove a host's bridge port (its veth pair goes with it). */
export async function leaveNetwork(network: LabHostNetwork): Promise<void> {
	await execa('nsenter', [`--net=/proc/${network.switchPid}/ns/net`, 'ip', 'link', 'del', network.port], {reject: false});
}
