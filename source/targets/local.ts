// This machine: scripts run under a local sh kept open for the run, as this user or through sudo.
import {RemoteShell} from './remote-shell.js';
import {spawnScript} from './spawn.js';
import {ShellTarget} from './shell-target.js';
import type {LoginResult, RunOptions, RunResult} from '../engine/target.js';
import {loginResult} from './login-result.js';

export interface BecomeOptions {
	/** Run every script through sudo. */
	readonly become: boolean;
	/** Asked once by the UI and kept only in memory. */
	readonly password?: string;
}

export class LocalTarget extends ShellTarget {
	private readonly shell: RemoteShell;

	constructor(become: BecomeOptions = {become: false}) {
		super({kind: 'local', label: 'local'});
		this.shell = new RemoteShell(['sh'], [], become.become ? {password: become.password} : undefined, async script => spawnScript('sh', ['-c', script]));
	}

	async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		return this.shell.run(script, options);
	}

	/**
	 * The way back in when working on this machine: at its console sshd changes cannot lock anyone out, but an
	 * operator logged in over ssh must be able to log in again, so a fresh key-based login to this sshd is proven.
	 */
	async freshLogin(signal?: AbortSignal): Promise<LoginResult> {
		return (await this.loginProof(signal)) ?? {ok: true, refused: false, reason: ''};
	}

	/** At the console there is no ssh login to prove; over ssh, a new key-based login to the sshd the operator came through. */
	protected async loginProof(signal?: AbortSignal): Promise<LoginResult | undefined> {
		const session = process.env.SSH_CONNECTION?.trim().split(/\s+/);
		if (!session || session.length < 4) {
			return undefined;
		}

		const port = session[3]!;
		const result = await spawnScript(
			'ssh',
			[
				'-o',
				'BatchMode=yes',
				'-o',
				'ControlPath=none',
				'-o',
				'PasswordAuthentication=no',
				'-o',
				'KbdInteractiveAuthentication=no',
				'-o',
				'PreferredAuthentications=publickey',
				'-o',
				'ConnectTimeout=15',
				'-p',
				port,
				'localhost',
				'--',
				'true',
			],
			{signal},
		);
		return loginResult(result);
	}

	async close(): Promise<void> {
		await this.shell.close();
	}
}
