// The lockout guard: prove the way back in, arm a rollback that fires by itself, apply, verify afresh, disarm.
import {quote} from '../targets/quote.js';
import type {Target} from '../targets/target.js';
import {StepFailure} from './errors.js';
import type {FileAction, GuardSpec} from './types.js';

export interface ArmedGuard {
	/** Restores the previous state now (the timer is cancelled). */
	rollback(): Promise<void>;
	/** Keeps the change: the timer is cancelled and the saved state removed. */
	disarm(): Promise<void>;
}

/** Fails before anything changes when no fresh key-based login works: the change could lock the operator out. */
export async function proveWayBack(target: Target, signal?: AbortSignal, retries = 0): Promise<void> {
	if (!target.freshLogin) {
		return;
	}

	let result = await target.freshLogin(signal);
	// Right after a reload sshd may still be re-executing: retry a refused connection, never a refused key.
	for (let attempt = 0; attempt < retries && result.exitCode !== 0 && !/Permission denied|Too many authentication/i.test(result.stderr); attempt++) {
		await new Promise(resolve => {
			setTimeout(resolve, 1000);
		});
		result = await target.freshLogin(signal);
	}

	if (result.exitCode !== 0) {
		throw new StepFailure(
			`Refused before changing anything: a fresh key-based login to ${target.info.label} failed (${firstLine(result.stderr) || `exit ${result.exitCode}`}). Applying this step could lock you out.`,
			`Install your public key on the host (ssh-copy-id ${target.info.label.replace(/^ssh:/, '')}), check that \`ssh -o PreferredAuthentications=publickey … true\` works, then run \`waymark resume\`.`,
		);
	}
}

function firstLine(text: string): string {
	return text.trim().split('\n').at(-1) ?? '';
}

/**
 * Saves the files the step will touch (and any extra state) into a private directory on the host and
 * starts a timer there that restores them unless disarmed: if the connection dies, the host heals itself.
 */
export async function armRollback(target: Target, options: {id: string; files: readonly FileAction[]; guard?: GuardSpec; seconds: number}): Promise<ArmedGuard> {
	const dir = `/run/waymark-guard/${options.id}`;
	const g = quote(dir);
	const save: string[] = [`G=${g}`, 'mkdir -p "$G"', 'chmod 700 "$G" /run/waymark-guard'];
	const restore: string[] = ['#!/bin/sh', `G=${g}`];
	for (const [index, file] of options.files.entries()) {
		const path = quote(file.path);
		save.push(`if [ -e ${path} ]; then cp -p ${path} "$G/f${index}"; fi`);
		restore.push(`if [ -e "$G/f${index}" ]; then cp -p "$G/f${index}" ${path}.waymark-restore && mv -f ${path}.waymark-restore ${path}; else rm -f ${path}; fi`);
	}

	if (options.guard?.snapshot) {
		save.push(options.guard.snapshot);
	}

	if (options.guard) {
		restore.push(options.guard.restore);
	}

	restore.push('rm -f "$G/armed"');
	save.push(`cat > "$G/restore.sh" <<'WAYMARK_RESTORE'\n${restore.join('\n')}\nWAYMARK_RESTORE`);
	save.push(
		'touch "$G/armed"',
		// Detached from the session so it survives a dropped connection; it fires only while "armed" exists.
		// The trap ends the sleep too when disarmed, so no process outlives the guard.
		`nohup sh -c 'trap "kill \\$s 2>/dev/null; exit 0" TERM; sleep ${options.seconds} & s=$!; wait $s; [ -e "$0/armed" ] && sh "$0/restore.sh"' "$G" </dev/null >/dev/null 2>&1 &`,
		'echo $! > "$G/timer.pid"',
	);
	const armed = await target.run(save.join('\n'));
	if (armed.exitCode !== 0) {
		throw new StepFailure(`Could not arm the automatic rollback on ${target.info.label}: ${armed.stderr.trim()}`, 'Nothing was changed. Check that /run is writable on the host, then retry the step.');
	}

	const stopTimer = `G=${g}; rm -f "$G/armed"; [ -f "$G/timer.pid" ] && kill "$(cat "$G/timer.pid")" 2>/dev/null; rm -rf "$G"; true`;
	return {
		async rollback() {
			const result = await target.run(`G=${g}; sh "$G/restore.sh"; ${stopTimer}`);
			if (result.exitCode !== 0) {
				throw new StepFailure(`Rolling back on ${target.info.label} failed: ${result.stderr.trim()}`, `Restore by hand from /var/backups/waymark on the host; the armed timer may still restore it within ${options.seconds} s.`);
			}
		},
		async disarm() {
			await target.run(stopTimer);
		},
	};
}
