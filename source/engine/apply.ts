// Carries out a plan's actions on a target, in order: atomic file writes with backup and validators, dirs, commands.
import {StepFailure} from './errors.js';
import type {Target} from './target.js';
import type {Action} from './types.js';

export interface ApplyOptions {
	/** Originals are copied under `/var/backups/waymark/RUN_ID/` once per run. */
	readonly runId: string;
	readonly signal: AbortSignal;
	/** Each line a command prints, as it prints it. */
	readonly onLine: (line: string) => void;
	/** True once the run was asked to stop: no further action starts. */
	readonly stopped: () => boolean;
}

/** Applies the actions; on an offline target the verdict has left only files and dirs. */
export async function applyActions(target: Target, actions: readonly Action[], options: ApplyOptions): Promise<void> {
	for (const action of actions) {
		if (options.stopped()) {
			throw new StepFailure('interrupted', 'waymark resume');
		}

		switch (action.kind) {
			case 'file': {
				await target.write(action.path, action.after, {
					mode: action.mode ?? (action.secret ? 0o600 : 0o644),
					forceMode: action.secret,
					backupPath: `/var/backups/waymark/${options.runId}${action.path}`,
					validateCandidate: target.live ? action.validateCandidate : undefined,
					validateInPlace: target.live ? action.validateInPlace : undefined,
					signal: options.signal,
				});
				break;
			}

			case 'dir': {
				await target.mkdir(action.path, action.mode, options.signal);
				break;
			}

			case 'command': {
				if (!target.live) {
					throw new StepFailure(
						`${action.title}: ${target.info.label} is offline, commands cannot run there`,
						'This is a bug in Waymark: commands are deferred before apply on an offline target.',
					);
				}

				const result = await target.run(action.script, {input: action.input, signal: options.signal, onLine: options.onLine});
				if (result.exitCode !== 0) {
					const tail = lastLines(result.stderr) || lastLines(result.stdout);
					const shown = action.secret ? '(output hidden: the command carries a secret)' : tail;
					throw new StepFailure(
						`${action.title} failed with exit code ${result.exitCode}${tail ? `:\n${shown}` : ''}`,
						'Read the output above (the transcript has all of it), fix the cause on the host, then retry the step.',
					);
				}

				break;
			}
		}
	}
}

function lastLines(text: string): string {
	return text.trim().split('\n').slice(-5).join('\n');
}

/** `2 file(s) written, 1 command(s) run`: what an apply did, for the step's end line. */
export function summary(actions: readonly Action[]): string {
	const files = actions.filter(action => action.kind === 'file').length;
	const dirs = actions.filter(action => action.kind === 'dir').length;
	const commands = actions.filter(action => action.kind === 'command').length;
	return [files && `${files} file(s) written`, dirs && `${dirs} dir(s) made`, commands && `${commands} command(s) run`].filter(Boolean).join(', ');
}
