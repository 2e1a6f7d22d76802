// The ssh target against a real sshd: one shell for many commands, and a stop that reaches the host.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {SshTarget} from '../../source/targets/ssh.js';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';

const skip = await labSkipReason();

describe('ssh target', {skip}, () => {
	let lab: LabHost;
	let target: SshTarget;

	before(async () => {
		lab = await createLabHost({name: 'ssh-target'});
		target = new SshTarget({kind: 'ssh', host: lab.alias}, {sshConfig: lab.sshConfig, become: false});
	});

	after(async () => {
		await target?.close();
		await lab?.destroy();
	});

	test('many commands share one login shell on the host', async () => {
		const shells = new Set<string>();
		for (let index = 0; index < 5; index++) {
			shells.add((await target.run('echo $PPID')).stdout.trim());
		}

		assert.equal(shells.size, 1);
	});

	test('a stop ends the command on the host, with what it started, and the next command still runs', async () => {
		const controller = new AbortController();
		const stopped = await target.run('echo started; sh -c "sleep 33.5"; echo never', {signal: controller.signal, onLine: () => controller.abort()});
		assert.equal(stopped.exitCode, 130);
		let left = 'sleep';
		for (let index = 0; index < 40 && left !== ''; index++) {
			left = (await lab.exec('pgrep -f "^sleep 33.5" || true')).stdout.trim();
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		assert.equal(left, '', 'nothing of the stopped command runs on the host');
		assert.equal((await target.run('echo again')).stdout, 'again\n');
	});
});
