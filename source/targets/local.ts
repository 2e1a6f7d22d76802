// This machine: scripts run under a local sh kept open for the run, as this user or through sudo.
import {RemoteShell} from './remote-shell.js';
import {ShellTarget} from './shell-target.js';
import type {RunOptions, RunResult} from './target.js';

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
		this.shell = new RemoteShell(['sh'], [], become.become ? {password: become.password} : undefined);
	}

	async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		return this.shell.run(script, options);
	}

	async close(): Promise<void> {
		await this.shell.close();
	}
}
