// The lockout guard: prove the way back in, arm a rollback that fires by itself, apply, verify afresh, disarm.
import {quote} from './quote.js';
import type {Target} from './target.js';
import {LoginFailed, StepFailure} from './errors.js';
import type {FileAction, GuardSpec} from './types.js';

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

function guardDir(id: string): string {
	return quote(`/run/waymark-guard/${id}`);
}

/**
 * Starts the timer: detached from the session so it survives a dropped connection. Taking "armed" away is atomic, so
 * the timer, a rollback and a disarm never both win; the trap ends the sleep too, so no process outlives the guard.
 */
function startTimer(seconds: number): string {
	return [
		`nohup sh -c 'trap "kill \\$s 2>/dev/null; exit 0" TERM; sleep ${seconds} & s=$!; wait $s; mv "$0/armed" "$0/firing" 2>/dev/null && sh "$0/restore.sh" > "$0/rollback.log" 2>&1' "$G" </dev/null >/dev/null 2>&1 &`,
		'echo $! > "$G/timer.pid"',
	].join('\n');
}

/** Ends the guard's timer, only if that pid is still this guard's timer (its command line names the guard's directory). */
const stopTimerLine = `p=$(cat "$G/timer.pid" 2>/dev/null) && tr '\\000' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF "$G" && kill "$p" 2>/dev/null; true`;

export async function armRollback(
	target: Target,
	options: {id: string; files: readonly FileAction[]; guard?: GuardSpec; seconds: number},
): Promise<ArmedGuard> {
	const g = guardDir(options.id);
	// A guard of the same id left by an earlier attempt is cleared first (its timer ended), so no stale copy or mark of
	// it is mistaken for this one's.
	const save: string[] = [`G=${g}`, stopTimerLine, 'rm -rf "$G"', 'mkdir -p "$G" || exit 1', 'chmod 700 "$G" /run/waymark-guard'];
	// Every part of the restore is tried even when one fails, and the script's exit says whether all of them worked.
	const restore: string[] = ['#!/bin/sh', `G=${g}`, 'rc=0'];
	for (const [index, file] of options.files.entries()) {
		const path = quote(file.path);
		// A file that did not exist is marked as new: only that mark, never a missing copy, makes the restore delete it.
		// A copy that cannot be made stops the arming, so nothing is changed without its way back.
		save.push(`if [ -e ${path} ]; then cp -p ${path} "$G/f${index}" || exit 1; else : > "$G/n${index}" || exit 1; fi`);
		restore.push(
			`if [ -e "$G/f${index}" ]; then cp -p "$G/f${index}" ${path}.waymark-restore && mv -f ${path}.waymark-restore ${path}; ` +
				`elif [ -e "$G/n${index}" ]; then rm -f ${path}; else echo ${quote(`no saved copy of ${file.path}: left as it is`)} >&2; false; fi || rc=1`,
		);
	}

	if (options.guard?.snapshot) {
		save.push(`{\n${options.guard.snapshot}\n} || exit 1`);
	}

	if (options.guard) {
		restore.push(`{\n${options.guard.restore}\n} || rc=1`);
	}

	// "restored" is a promise that the previous state is back: a restore that failed leaves its own mark instead.
	restore.push('if [ "$rc" -eq 0 ]; then touch "$G/restored"; else touch "$G/restore-failed"; fi', 'exit "$rc"');
	save.push(`cat > "$G/restore.sh" <<'WAYMARK_RESTORE' || exit 1\n${restore.join('\n')}\nWAYMARK_RESTORE`);
	save.push('touch "$G/armed" || exit 1', startTimer(options.seconds));
	const armed = await target.run(save.join('\n'));
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
	const stopTimer = `${stopTimerLine}; rm -rf "$G"; true`;
	return {
		async rollback() {
			// Taking "armed" is the lock the timer takes too, so the two never restore at once. Hangups and closed pipes are
			// ignored: a dropped connection does not cut the restore off halfway. A restore that failed puts "armed" back,
			// so the timer, still sleeping, tries again by itself. When the timer took it first, its restore is waited for
			// (bounded) before anything is removed.
			const result = await target.run(
				[
					`G=${g}`,
					"trap '' HUP PIPE",
					'if mv "$G/armed" "$G/firing" 2>/dev/null; then',
					'  sh "$G/restore.sh" > "$G/rollback.log" 2>&1; rc=$?',
					// A timer that woke while this held the lock has given up: a new one takes its place for the next try.
					`  if [ "$rc" -eq 0 ]; then ${stopTimer}; else rm -f "$G/restore-failed"; ${stopTimerLine}; mv "$G/firing" "$G/armed"; ${startTimer(seconds)}; cat "$G/rollback.log" >&2; fi`,
					'  exit "$rc"',
					'fi',
					'n=0',
					'while [ -d "$G" ] && [ ! -e "$G/restored" ] && [ ! -e "$G/restore-failed" ] && [ "$n" -lt 120 ]; do sleep 1; n=$((n+1)); done',
					`if [ -e "$G/restored" ]; then ${stopTimer}; exit 0; fi`,
					// No saved state means nothing could be restored: /run was emptied (the host restarted) or the guard removed.
					'if [ ! -d "$G" ]; then echo "the saved state is gone from /run/waymark-guard (the host restarted, or it was removed), so nothing was restored" >&2; exit 1; fi',
					'if [ -e "$G/restore-failed" ]; then echo "the automatic rollback ran first and its restore failed" >&2; else echo "the automatic rollback ran first and is still restoring after 120 s" >&2; fi',
					'exit 1',
				].join('\n'),
			);
			if (result.exitCode !== 0) {
				throw new StepFailure(
					`Rolling back on ${target.info.label} failed: ${printable(result.stderr)}`,
					`Restore by hand on the host: ${savedCopies(id, files) || `the saved state is in /run/waymark-guard/${id}`}; ` +
						`then reload the service. The armed timer may still restore it within ${seconds} s.`,
				);
			}
		},
		async disarm() {
			const result = await target.run(`G=${g}; if mv "$G/armed" "$G/kept" 2>/dev/null; then ${stopTimer}; else echo fired; fi`);
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
