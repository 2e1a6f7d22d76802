// This machine: scripts run under the local sh, as root or through sudo.
import {becomeScript, ShellTarget} from './shell-target.js';
import {spawnScript} from './spawn.js';
import type {RunOptions, RunResult} from './target.js';

export interface BecomeOptions {
	/** Run every script through sudo. */
	readonly become: boolean;
	/** Asked once by the UI and kept only in memory. */
	readonly password?: string;
}

export class LocalTarget extends ShellTarget {
	constructor(private readonly become: BecomeOptions = {become: false}) {
		super({kind: 'local', label: 'local'});
	}

	async run(script: string, options: RunOptions = {}): Promise<RunResult> {
		if (!this.become.become) {
			return spawnScript('sh', ['-c', script], options);
		}

		const withPassword = this.become.password !== undefined;
		const input = withPassword ? `${this.become.password}\n${options.input ?? ''}` : options.input;
		return spawnScript('sh', ['-c', becomeScript(script, withPassword)], {...options, input});
	}

	async close(): Promise<void> {}
}
