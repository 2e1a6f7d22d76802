// The guard's rollback with real sh on this machine, its /run/waymark-guard moved to a temporary directory: it and
// the timer never restore at once, a failed restore is reported and leaves the guard armed for its timer, a hangup in
// the middle (the session dropped) does not cut the restore off, and only a file marked new is ever deleted.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, test} from 'node:test';
import {StepFailure} from '../../source/engine/errors.js';
import {armRollback, firedGuard} from '../../source/engine/guard.js';
import {settleArmedGuard} from '../../source/engine/guarded-apply.js';
import type {Step} from '../../source/engine/types.js';
import type {RunResult, Target} from '../../source/engine/target.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-guard-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

/** A target whose scripts run under this machine's sh; `hangup` sends SIGHUP to the script's shell that many ms in. */
function shellTarget(runDir: string, hangup?: {afterMs: number}): Target {
	const run = async (script: string): Promise<RunResult> =>
		new Promise(resolve => {
			const child = spawn('sh', ['-c', script.replaceAll('/run/waymark-guard', runDir)], {stdio: ['ignore', 'pipe', 'pipe']});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', chunk => (stdout += String(chunk)));
			child.stderr.on('data', chunk => (stderr += String(chunk)));
			const timer = hangup && /rollback\.log/.test(script) ? setTimeout(() => child.kill('SIGHUP'), hangup.afterMs) : undefined;
			child.on('close', code => {
				clearTimeout(timer);
				resolve({exitCode: code ?? 129, stdout, stderr});
			});
		});
	return {info: {kind: 'local', label: 'local-test'}, live: true, run} as unknown as Target;
}

/** A file the step changed, with its guard armed on it; `restore` is the step's own restore line. */
async function armed(name: string, restore: string, hangup?: {afterMs: number}, seconds = 600) {
	const home = join(base, name);
	mkdirSync(home, {recursive: true});
	const file = join(home, 'sshd.conf');
	writeFileSync(file, 'before\n');
	const runDir = join(home, 'run');
	const guard = await armRollback(shellTarget(runDir, hangup), {
		id: 'r1-step',
		files: [{kind: 'file', path: file, before: 'before\n', after: 'after\n'}],
		guard: {restore},
		seconds,
	});
	writeFileSync(file, 'after\n');
	return {guard, file, runDir, dir: join(runDir, 'r1-step')};
}

test('a rollback takes the marker, restores the file and stops the timer', async () => {
	const {guard, file, dir} = await armed('ok', 'true');
	await guard.rollback();
	assert.equal(readFileSync(file, 'utf8'), 'before\n');
	assert.equal(existsSync(dir), false, 'the guard directory is gone, its timer with it');
});

test('a restore that fails is reported with its own words, and the guard stays armed for the timer to try again', async () => {
	const {guard, dir} = await armed('fails', 'echo "iptables-restore: line 3 failed" >&2; false');
	await assert.rejects(guard.rollback(), (error: unknown) => {
		assert.ok(error instanceof StepFailure);
		assert.match(error.message, /Rolling back on local-test failed: iptables-restore: line 3 failed/);
		assert.match(error.remedy, /The armed timer may still restore it within 600 s/);
		return true;
	});
	assert.equal(existsSync(join(dir, 'armed')), true, 'still armed');
	// The timer is a real sleeping process: end it, as the guard would.
	const pid = Number(readFileSync(join(dir, 'timer.pid'), 'utf8'));
	process.kill(pid, 'SIGTERM');
});

test('a hangup in the middle of the restore (the session dropped) does not stop it', async () => {
	const marker = join(base, 'hup-done');
	const {guard, file, dir} = await armed('hup', `sleep 1; touch ${marker}`, {afterMs: 300});
	await guard.rollback();
	// Bounded wait for the restore that outlived the hangup.
	for (let i = 0; i < 50 && existsSync(dir); i++) await sleep(100);
	assert.equal(readFileSync(file, 'utf8'), 'before\n');
	assert.equal(existsSync(marker), true, 'the restore ran to its end');
	assert.equal(existsSync(dir), false);
});

test('when the timer took the guard first, the rollback waits for its restore before removing anything', async () => {
	const {guard, file, dir} = await armed('race', 'sleep 1');
	// The timer's own firing, as its shell does it: take "armed", then restore (here slowly).
	const timer = spawn('sh', ['-c', `mv "${dir}/armed" "${dir}/firing" && sh "${dir}/restore.sh"`], {stdio: 'ignore'});
	const timerDone = new Promise(resolve => timer.on('close', resolve));
	await sleep(200);
	await guard.rollback();
	await timerDone;
	assert.equal(readFileSync(file, 'utf8'), 'before\n', 'restored once, never deleted');
	assert.equal(existsSync(dir), false);
});

test('a file that was new is deleted by the restore; one whose saved copy is missing is left alone', async () => {
	const home = join(base, 'new');
	mkdirSync(home, {recursive: true});
	const made = join(home, 'new.conf');
	const kept = join(home, 'kept.conf');
	writeFileSync(kept, 'before\n');
	const runDir = join(home, 'run');
	const guard = await armRollback(shellTarget(runDir), {
		id: 'r1-step',
		files: [
			{kind: 'file', path: made, before: null, after: 'x\n'},
			{kind: 'file', path: kept, before: 'before\n', after: 'after\n'},
		],
		seconds: 600,
	});
	writeFileSync(made, 'x\n');
	writeFileSync(kept, 'after\n');
	rmSync(join(runDir, 'r1-step', 'f1'));
	await assert.rejects(guard.rollback(), StepFailure, 'a part that could not be restored is a failed rollback');
	assert.equal(existsSync(made), false, 'the new file is gone');
	assert.equal(readFileSync(kept, 'utf8'), 'after\n', 'no copy, no mark: never deleted');
	const pid = Number(readFileSync(join(runDir, 'r1-step', 'timer.pid'), 'utf8'));
	process.kill(pid, 'SIGTERM');
});

test('arming again under the same id clears what the earlier attempt left: its timer ends, its copies go', async () => {
	const first = await armed('again', 'true');
	const dir = first.dir;
	const oldTimer = Number(readFileSync(join(dir, 'timer.pid'), 'utf8'));
	writeFileSync(join(dir, 'f7'), 'stale copy\n');
	const second = await armed('again', 'true');
	for (let i = 0; i < 50 && isAlive(oldTimer); i++) await sleep(50);
	assert.equal(isAlive(oldTimer), false, 'the earlier timer is gone');
	assert.equal(existsSync(join(dir, 'f7')), false, 'no stale copy left to be restored');
	await second.guard.rollback();
	assert.equal(existsSync(dir), false);
});

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

test('a rollback whose saved state is gone (the host restarted and /run was emptied) fails and says so; it never claims a restore', async () => {
	const {guard, file, dir} = await armed('gone', 'true');
	rmSync(dir, {recursive: true, force: true});
	await assert.rejects(guard.rollback(), (error: unknown) => {
		assert.ok(error instanceof StepFailure);
		assert.match(error.message, /the saved state is gone from \S+ \(the host restarted, or it was removed\), so nothing was restored/);
		return true;
	});
	assert.equal(readFileSync(file, 'utf8'), 'after\n', 'nothing was touched');
});

test('a timer whose restore failed while nobody was connected is told on the next look, with its words; one that restored is told once', async () => {
	const failing = await armed('timer-fails', 'echo "iptables-restore: line 3 failed" >&2; false', undefined, 1);
	// Bounded wait for the real timer: it sleeps 1 s, then restores.
	for (let i = 0; i < 100 && !existsSync(join(failing.dir, 'restore-failed')); i++) await sleep(100);
	const failed = await firedGuard(shellTarget(failing.runDir), 'r1-step');
	assert.equal(failed?.restored, false);
	assert.match(failed?.restored === false ? failed.log : '', /iptables-restore: line 3 failed/);
	assert.match(failed?.at ?? '', /^\d\d:\d\d:\d\d$/);
	assert.equal(existsSync(failing.dir), true, 'its saved copies stay for the next attempt or by hand');

	const working = await armed('timer-restores', 'true', undefined, 1);
	for (let i = 0; i < 100 && !existsSync(join(working.dir, 'restored')); i++) await sleep(100);
	assert.equal(readFileSync(working.file, 'utf8'), 'before\n');
	const restored = await firedGuard(shellTarget(working.runDir), 'r1-step');
	assert.equal(restored?.restored, true);
	assert.equal(await firedGuard(shellTarget(working.runDir), 'r1-step'), undefined, 'told once');
});

test('resume tells a rollback that failed while the run was away, with its words, and plans the step again', async () => {
	const failing = await armed('resume-fails', 'echo "ip6tables-restore: line 2 failed" >&2; false', undefined, 1);
	for (let i = 0; i < 100 && !existsSync(join(failing.dir, 'restore-failed')); i++) await sleep(100);
	const said = await settleArmedGuard({id: 'step'} as Step, shellTarget(failing.runDir), 'r1', new AbortController().signal);
	assert.match(
		said ?? '',
		/^while the run was away, the automatic rollback fired at \d\d:\d\d:\d\d UTC but could not restore everything \(.*ip6tables-restore: line 2 failed.*\); the step is planned again from the host as it is now$/,
	);
});
