// The shell that waits for or ends an orphan runs on the host as it is: here it runs in a real POSIX shell against a
// real process group (a session leader with a child, as an ssh command's shell is), bounded by small limits.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {test} from 'node:test';
import {execa} from 'execa';
import {orphanEndScript, orphanWaitScript} from '../../source/engine/orphan.js';

/** A session leader (sh) with a child that ignores SIGTERM when `stubborn`; resolves with the leader's pid. */
function orphanGroup(stubborn: boolean): {pid: number; exited: Promise<void>} {
	const trap = stubborn ? "trap '' TERM; " : '';
	const child = spawn('setsid', ['sh', '-c', `${trap}sleep 30 & wait`], {stdio: 'ignore', detached: false});
	const exited = new Promise<void>(resolve => {
		child.on('exit', () => {
			resolve();
		});
	});
	return {pid: child.pid!, exited};
}

/** Waits (at most 5 s) for the group to be gone: the machine's init reaps the killed children in its own time. */
async function groupGone(pid: number): Promise<boolean> {
	for (let wait = 0; wait < 100 && groupAlive(pid); wait++) {
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	return !groupAlive(pid);
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

test('the end script sends the group SIGTERM and reports it ended', async () => {
	const group = orphanGroup(false);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const result = await execa('sh', ['-c', orphanEndScript(group.pid, true, 5)]);
	assert.match(result.stdout, /WAYMARK-ORPHAN ended/);
	await group.exited;
	assert.ok(await groupGone(group.pid));
});

test('a group that ignores SIGTERM gets SIGKILL after the grace time', async () => {
	const group = orphanGroup(true);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const result = await execa('sh', ['-c', orphanEndScript(group.pid, true, 1)]);
	assert.match(result.stdout, /WAYMARK-ORPHAN killed/);
	await group.exited;
	assert.ok(await groupGone(group.pid));
});

test('the wait script reports a group still running past its bound, and one that is gone', async () => {
	const group = orphanGroup(false);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const still = await execa('sh', ['-c', orphanWaitScript(group.pid, true, 1)]);
	assert.match(still.stdout, /waiting for pid \d+, left running by the lost connection \(0s\)/);
	assert.match(still.stdout, /WAYMARK-ORPHAN still-running/);
	process.kill(-group.pid, 'SIGKILL');
	await group.exited;
	assert.ok(await groupGone(group.pid));
	const gone = await execa('sh', ['-c', orphanWaitScript(group.pid, true, 1)]);
	assert.match(gone.stdout, /WAYMARK-ORPHAN gone 0/);
});
