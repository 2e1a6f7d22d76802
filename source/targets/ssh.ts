// A remote host through the system's OpenSSH client: the operator's ~/.ssh/config, agent and known_hosts apply.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {RemoteShell} from './remote-shell.js';
import {ShellTarget} from './shell-target.js';
import {spawnScript} from './spawn.js';
import type {TargetSpec} from './spec.js';
import {specLabel} from './spec.js';
import {quote} from '../engine/quote.js';
import {ConnectionLost, type LoginResult, type RunOptions, type RunResult} from '../engine/target.js';
import {loginResult} from './login-result.js';
import type {BecomeOptions} from './local.js';
import {pidAlive} from '../pid-alive.js';

export interface SshOptions extends BecomeOptions {
	/** Passed to every ssh call as `-F FILE`. */
	readonly sshConfig?: string;
	/** How long the shared connection outlives its last use, in seconds. */
	readonly persistSeconds?: number;
}

type SshSpec = Extract<TargetSpec, {kind: 'ssh'}>;

const controlPrefix = 'waymark-ssh-';
let swept = false;

/** Removes control directories of runs that are gone (killed with SIGKILL, so they could not clean up). */
function sweepControlDirs(): void {
	if (swept) {
		return;
	}

	swept = true;
	for (const name of readdirSync(tmpdir()).filter(each => each.startsWith(controlPrefix))) {
		const pid = Number(name.slice(controlPrefix.length).split('-')[0]);
		if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid)) {
			rmSync(join(tmpdir(), name), {recursive: true, force: true});
		}
	}
}

export class SshTarget extends ShellTarget {
	// One private directory per target for the ControlMaster socket, so nothing else can ride on the connection.
	// Its name carries our pid: a run killed before it could remove it is swept by the next one.
	private readonly controlDir: string;

	// Commands go to one `sh` kept open over the shared connection, so login rc files run once, not per command.
	private readonly shell: RemoteShell;

	constructor(
		private readonly spec: SshSpec,
		private readonly options: SshOptions = {become: false},
	) {
		super({kind: 'ssh', label: specLabel(spec)});
		sweepControlDirs();
		this.controlDir = mkdtempSync(join(tmpdir(), `${controlPrefix}${process.pid}-`));
		this.shell = new RemoteShell(
			['ssh', ...this.multiplexArgs(), ...this.hostArgs()],
			undefined,
			options.become ? {password: options.password} : undefined,
			async script => spawnScript('ssh', [...this.multiplexArgs(), ...this.hostArgs(), '--', script]),
			join(this.controlDir, 'ssh.log'),
		);
	}

	/** The ssh arguments that pick the host; shared by the multiplexed and the fresh connections. */
	hostArgs(): string[] {
		return [
			...(this.options.sshConfig ? ['-F', this.options.sshConfig] : []),
			...(this.spec.port ? ['-p', String(this.spec.port)] : []),
			...(this.spec.user ? ['-l', this.spec.user] : []),
			'-o',
			'BatchMode=yes',
			'-o',
			'ConnectTimeout=15',
			'-o',
			'ServerAliveInterval=15',
			this.spec.host,
		];
	}

	private multiplexArgs(): string[] {
		// -E: whichever of these starts the control master, its messages (why the link went) land in a file the shell
		// reads, never on the operator's screen; at INFO, so "Timeout, server not responding" is among them.
		return [
			'-E',
			join(this.controlDir, 'ssh.log'),
			'-o',
			'LogLevel=INFO',
			'-o',
			'ControlMaster=auto',
			'-o',
			`ControlPath=${join(this.controlDir, '%C')}`,
			'-o',
			`ControlPersist=${this.options.persistSeconds ?? 120}`,
		];
	}

	/** The ssh command an operator pastes to reach this host as Waymark does (its config file included). */
	shellCommand(): string {
		return [
			'ssh',
			...(this.options.sshConfig ? ['-F', quote(this.options.sshConfig)] : []),
			...(this.spec.port ? ['-p', String(this.spec.port)] : []),
			this.spec.user ? `${this.spec.user}@${this.spec.host}` : this.spec.host,
		].join(' ');
	}

	async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		const result = await this.shell.run(script, options);
		if (result.lost && !options.signal?.aborted) {
			const {reason, ...details} = result.lost;
			throw new ConnectionLost(this.info.label, reason, {...details, shellCommand: this.shellCommand()});
		}

		if (result.exitCode === 255) {
			return {...result, stderr: `ssh to ${this.info.label} failed: ${result.stderr.trim()}`};
		}

		return result;
	}

	async freshLogin(signal?: AbortSignal): Promise<LoginResult> {
		const result = await spawnScript(
			'ssh',
			[
				'-o',
				'ControlMaster=no',
				'-o',
				'ControlPath=none',
				'-o',
				'PasswordAuthentication=no',
				'-o',
				'KbdInteractiveAuthentication=no',
				'-o',
				'PreferredAuthentications=publickey',
				...this.hostArgs(),
				'--',
				'true',
			],
			{signal},
		);
		return loginResult(result);
	}

	protected async loginProof(signal?: AbortSignal): Promise<LoginResult> {
		return this.freshLogin(signal);
	}

	/** The control directory is this process's own, so the shell's first connection is always new, never a master's. */
	protected override firstConnectionIsLogin(): boolean {
		return this.shell.unstarted;
	}

	async close(): Promise<void> {
		try {
			await this.shell.close();
			await spawnScript('ssh', [...this.multiplexArgs(), ...this.hostArgs(), '-O', 'exit'], {});
		} finally {
			rmSync(this.controlDir, {recursive: true, force: true});
		}
	}
}
