// The lockout guard's scripts on the host, as text: arming (save, then a detached timer that restores), restoring now,
// and keeping the change. Waymark runs them through its target; an exported Ansible play runs the same ones.
import {quote} from './quote.js';
import type {FileAction, GuardSpec} from './types.js';

export function guardDir(id: string): string {
	return quote(`/run/waymark-guard/${id}`);
}

/**
 * Starts the timer: detached from the session so it survives a dropped connection. Taking "armed" away is atomic, so
 * the timer, a rollback and a disarm never both win; the trap ends the sleep too, so no process outlives the guard.
 */
export function startTimer(seconds: number): string {
	return [
		`nohup sh -c 'trap "kill \\$s 2>/dev/null; exit 0" TERM; sleep ${seconds} & s=$!; wait $s; mv "$0/armed" "$0/firing" 2>/dev/null && sh "$0/restore.sh" > "$0/rollback.log" 2>&1' "$G" </dev/null >/dev/null 2>&1 &`,
		'echo $! > "$G/timer.pid"',
	].join('\n');
}

/** Ends the guard's timer, only if that pid is still this guard's timer (its command line names the guard's directory). */
export const stopTimerLine = `p=$(cat "$G/timer.pid" 2>/dev/null) && tr '\\000' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF "$G" && kill "$p" 2>/dev/null; true`;

/** What arms a guard: the files (and any extra state) to save, and how long until the timer restores them. */
export interface GuardArming {
	readonly id: string;
	readonly files: readonly Pick<FileAction, 'path'>[];
	readonly guard?: GuardSpec;
	readonly seconds: number;
}

/**
 * The script that arms a guard on the host; also what an exported Ansible play runs, so both restore the same way.
 * Exits non-zero, having changed nothing, when it cannot save everything.
 */
export function armScript(options: GuardArming): string {
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
	return save.join('\n');
}

/**
 * Restores now, unless the timer took the lock first (then waits for its restore, bounded). Exits non-zero with the
 * reason on stderr when the previous state could not be brought back.
 */
export function rollbackScript(id: string, seconds: number): string {
	const g = guardDir(id);
	const stopTimer = `${stopTimerLine}; rm -rf "$G"; true`;
	return [
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
	].join('\n');
}

/** Keeps the change: stops the timer and removes the saved state; prints `fired` when the timer restored first. */
export function disarmScript(id: string): string {
	const g = guardDir(id);
	const stopTimer = `${stopTimerLine}; rm -rf "$G"; true`;
	return `G=${g}; if mv "$G/armed" "$G/kept" 2>/dev/null; then ${stopTimer}; else echo fired; fi`;
}
