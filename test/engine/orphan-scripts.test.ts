// The shell that waits for or ends an orphan runs on the host as it is: here it runs in a real POSIX shell against a
// real process group (a session leader with a child, as an ssh command's shell is), bounded by small limits.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {execa} from 'execa';
import {orphanEndScript, orphanWaitScript} from '../../source/engine/orphan.js';
import {identityLines, isIdentity} from '../../source/engine/process-identity.js';

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

/**
 * A pid's identity read here, independently of the shell: the boot id, and field 22 of /proc/PID/stat counted after
 * the last ')' (the name in parentheses may hold spaces and parentheses).
 */
async function identityOf(pid: number): Promise<string> {
	const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	const identity = `${boot}:${start}`;
	assert.ok(isIdentity(identity), identity);
	return identity;
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
	const result = await execa('sh', ['-c', orphanEndScript({pid: group.pid, session: true, identity: await identityOf(group.pid)}, 5)]);
	assert.match(result.stdout, /WAYMARK-ORPHAN ended/);
	await group.exited;
	assert.ok(await groupGone(group.pid));
});

test('a group that ignores SIGTERM gets SIGKILL after the grace time', async () => {
	const group = orphanGroup(true);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const result = await execa('sh', ['-c', orphanEndScript({pid: group.pid, session: true}, 1)]);
	assert.match(result.stdout, /WAYMARK-ORPHAN killed/);
	await group.exited;
	assert.ok(await groupGone(group.pid));
});

test('the wait script reports a group still running past its bound, and one that is gone', async () => {
	const group = orphanGroup(false);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const still = await execa('sh', ['-c', orphanWaitScript({pid: group.pid, session: true, identity: await identityOf(group.pid)}, 1)]);
	assert.match(still.stdout, /waiting for pid \d+, left running by the lost connection \(0s\)/);
	assert.match(still.stdout, /WAYMARK-ORPHAN still-running/);
	process.kill(-group.pid, 'SIGKILL');
	await group.exited;
	assert.ok(await groupGone(group.pid));
	const gone = await execa('sh', ['-c', orphanWaitScript({pid: group.pid, session: true}, 1)]);
	assert.match(gone.stdout, /WAYMARK-ORPHAN gone 0/);
});

test('a pid that is another process now (another start time, or another boot) is not waited for and gets no signal', async () => {
	const group = orphanGroup(false);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const identity = await identityOf(group.pid);
	const boot = identity.slice(0, identity.lastIndexOf(':'));
	for (const other of [`${boot}:1`, `00000000-0000-0000-0000-000000000000:${identity.slice(identity.lastIndexOf(':') + 1)}`]) {
		const lone = {pid: group.pid, session: false, identity: other};
		const waited = await execa('sh', ['-c', orphanWaitScript(lone, 1)]);
		assert.match(waited.stdout, /WAYMARK-ORPHAN gone 0/, other);
		const ended = await execa('sh', ['-c', orphanEndScript(lone, 1)]);
		assert.match(ended.stdout, /^WAYMARK-ORPHAN ended$/, other);
	}

	// Another boot: not even the group counts.
	const rebooted = {pid: group.pid, session: true, identity: `00000000-0000-0000-0000-000000000000:1`};
	assert.match((await execa('sh', ['-c', orphanEndScript(rebooted, 1)])).stdout, /^WAYMARK-ORPHAN ended$/);
	assert.ok(groupAlive(group.pid), 'the process that is not the orphan was left alone');
	process.kill(-group.pid, 'SIGKILL');
	await group.exited;
	assert.ok(await groupGone(group.pid));
});

test('the identity the remote shell records is the one /proc gives, read here on its own', async () => {
	const group = orphanGroup(false);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const recorded = (await execa('sh', ['-c', `${identityLines(String(group.pid), 'id')}\nprintf '%s' "$id"`])).stdout;
	assert.equal(recorded, await identityOf(group.pid));
	const missing = (await execa('sh', ['-c', `${identityLines('999999999', 'id')}\nprintf '[%s]' "$id"`])).stdout;
	assert.equal(missing, '[]', 'no such process: no identity, so the pid alone is used as before');
	process.kill(-group.pid, 'SIGKILL');
	await group.exited;
});

test('a freed pid taken as a group id by a new session is not the orphan: the live leader must match, not just the group', async () => {
	const group = orphanGroup(false);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	const identity = await identityOf(group.pid);
	// The same pid leading a live group, but with another start time: what a new ssh session would look like.
	const other = {pid: group.pid, session: true, identity: `${identity.slice(0, identity.lastIndexOf(':'))}:1`};
	assert.match((await execa('sh', ['-c', orphanWaitScript(other, 1)])).stdout, /WAYMARK-ORPHAN gone 0/);
	assert.match((await execa('sh', ['-c', orphanEndScript(other, 1)])).stdout, /^WAYMARK-ORPHAN ended$/);
	assert.ok(groupAlive(group.pid), 'the other session was left alone');
	const missing = await execa('sh', ['-c', `${identityLines('999999999', 'id')}\nprintf '[%s]' "$id"`]);
	assert.equal(missing.stderr, '', 'no stray "cannot open" from dash');
	process.kill(-group.pid, 'SIGKILL');
	await group.exited;
	assert.ok(await groupGone(group.pid));
});
