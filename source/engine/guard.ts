// The lockout guard: prove the way back in, arm a rollback that fires by itself, apply, verify afresh, disarm.
import {armScript, disarmScript, type GuardArming, guardDir, rollbackScript} from './guard-scripts.js';
import type {Target} from './target.js';
import {LoginFailed, StepFailure} from './errors.js';
import type {FileAction} from './types.js';

export interface ArmedGuard {
	/** Restores the previous state now (the timer is cancelled). */
	rollback(): Promise<void>;
	/** Keeps the change: the timer is cancelled and the saved state removed. */
	disarm(): Promise<void>;
	/** When the timer already restored the previous state by itself (UTC HH:MM:SS), else undefined. */
	fired(): Promise<string | undefined>;
}

/** Where a guard keeps the previous copies of the files it restores, and what it does for a file that was new. */
function savedCopies(id: string, files: readonly FileAction[]): string {
	const dir = `/run/waymark-guard/${id}`;
	return files.map((file, index) => (file.before === null ? `${file.path} was new (delete it)` : `${file.path} was saved as ${dir}/f${index}`)).join('; ');
}

/** A host's words as one line for the screen: no control characters (a stray \r would redraw over the message). */
function printable(text: string): string {
	return text.replaceAll(/[\r\u0000-\u0008\u000b-\u001f]/g, '').trim();
}

/** The time the guard's restore ran, read from its marker; nothing when it did not run. */
const firedAt = (g: string) => `[ -e ${g}/restored ] && date -u -r ${g}/restored +%H:%M:%S; true`;

/** Proves a fresh key-based login works; throws LoginFailed with the client's reason when it does not. */
export async function proveWayBack(target: Target, signal?: AbortSignal, retries = 0): Promise<void> {
	if (!target.freshLogin) {
		return;
	}

	let result = await target.freshLogin(signal);
	// Right after a reload sshd may still be re-executing: retry a failed connection, never a refused key.
	for (let attempt = 0; attempt < retries && !result.ok && !result.refused; attempt++) {
		await new Promise(resolve => {
			setTimeout(resolve, 1000);
		});
		result = await target.freshLogin(signal);
	}

	if (!result.ok) {
		throw new LoginFailed(target.info.label, result.reason, result.refused);
	}
}

/** `ssh:root@node1:2222` → `-p 2222 root@node1`: options before the host, as ssh and ssh-copy-id take them. */
function hostOf(label: string): string {
	const bare = label.replace(/^ssh:/, '');
	const port = /^(.*):(\d+)$/.exec(bare);
	return port ? `-p ${port[2]} ${port[1]}` : bare === 'local' ? 'localhost' : bare;
}

/** The failure of a login proven before anything changed: nothing was done, and why the step refuses. */
export function refusedBeforeChange(error: LoginFailed): StepFailure {
	return new StepFailure(
		`Refused before changing anything: ${error.message}. Applying this step could lock you out.`,
		`Install your public key on the host (ssh-copy-id ${hostOf(error.target)}), check that \`ssh -o PreferredAuthentications=publickey ${hostOf(error.target)} true\` works, then run \`waymark resume\`.`,
	);
}

/**
 * Saves the files the step will touch (and any extra state) into a private directory on the host and
 * starts a timer there that restores them unless disarmed: if the connection dies, the host heals itself.
 */
export function guardId(runId: string, stepId: string): string {
	return `${runId}-${stepId}`;
}

export async function armRollback(target: Target, options: Omit<GuardArming, 'files'> & {readonly files: readonly FileAction[]}): Promise<ArmedGuard> {
	const armed = await target.run(armScript(options));
	if (armed.exitCode !== 0) {
		throw new StepFailure(
			`Could not arm the automatic rollback on ${target.info.label}: ${armed.stderr.trim()}`,
			'Nothing was changed. Check that /run is writable on the host, then retry the step.',
		);
	}

	return guardOn(target, options.id, options.seconds, options.files);
}

/** Control over a guard armed on the host, by its id. */
function guardOn(target: Target, id: string, seconds: number, files: readonly FileAction[] = []): ArmedGuard {
	const g = guardDir(id);
	return {
		async rollback() {
			// Taking "armed" is the lock the timer takes too, so the two never restore at once. Hangups and closed pipes are
			// ignored: a dropped connection does not cut the restore off halfway. A restore that failed puts "armed" back,
			// so the timer, still sleeping, tries again by itself. When the timer took it first, its restore is waited for
			// (bounded) before anything is removed.
			const result = await target.run(rollbackScript(id, seconds));
			if (result.exitCode !== 0) {
				throw new StepFailure(
					`Rolling back on ${target.info.label} failed: ${printable(result.stderr)}`,
					`Restore by hand on the host: ${savedCopies(id, files) || `the saved state is in /run/waymark-guard/${id}`}; ` +
						`then reload the service. The armed timer may still restore it within ${seconds} s.`,
				);
			}
		},
		async disarm() {
			const result = await target.run(disarmScript(id));
			if (result.exitCode !== 0 || result.stdout.trim() === 'fired') {
				throw new StepFailure(
					`The automatic rollback on ${target.info.label} fired before the change was confirmed, so the previous settings are back.`,
					'The change took longer than the guard allows; retry the step, or raise --guard-seconds.',
				);
			}
		},
		async fired() {
			const result = await target.run(firedAt(g));
			return result.stdout.trim() || undefined;
		},
	};
}

/** What a guard's timer did while nobody was connected. */
export type FiredGuard =
	| {readonly restored: true; readonly at: string}
	/** It fired and its restore failed (or was cut off): the host may be half restored. */
	| {readonly restored: false; readonly at: string; readonly log: string};

/**
 * A guard that fired by itself while nobody was connected, read once: a guard that restored is cleared so it is told
 * once; one whose restore failed keeps its saved copies (arming again clears them). Undefined when there is none.
 */
export async function firedGuard(target: Target, id: string): Promise<FiredGuard | undefined> {
	const g = guardDir(id);
	const result = await target.run(
		[
			`G=${g}`,
			'if [ -e "$G/armed" ]; then exit 0; fi',
			// A restore the timer is still running is waited for (bounded), so it is told as it ended.
			'n=0',
			'while [ -e "$G/firing" ] && [ ! -e "$G/restored" ] && [ ! -e "$G/restore-failed" ] && [ "$n" -lt 30 ] && kill -0 "$(cat "$G/timer.pid" 2>/dev/null)" 2>/dev/null; do sleep 1; n=$((n+1)); done',
			'if [ -e "$G/restored" ]; then echo "restored $(date -u -r "$G/restored" +%H:%M:%S)"; rm -rf "$G"; exit 0; fi',
			'if [ -e "$G/firing" ]; then echo "failed $(date -u -r "$G/firing" +%H:%M:%S)"; tail -n 5 "$G/rollback.log" 2>/dev/null; fi',
			'true',
		].join('\n'),
	);
	const [first = '', ...log] = result.stdout.trim().split('\n');
	const [state, at = ''] = first.split(' ');
	if (state === 'restored') {
		return {restored: true, at};
	}

	return state === 'failed' ? {restored: false, at, log: printable(log.join(' '))} : undefined;
}

/** A guard left armed by a run that was cut off, or undefined when there is none. */
export async function armedGuard(target: Target, id: string): Promise<ArmedGuard | undefined> {
	const result = await target.run(`[ -e ${guardDir(id)}/armed ] && echo armed; true`);
	return result.stdout.trim() === 'armed' ? guardOn(target, id, 0) : undefined;
}
