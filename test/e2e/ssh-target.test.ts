// The ssh target against a real sshd: one shell for many commands, a stop that reaches the host, and a run that
// changes nothing costs one round trip (its first connection is its login proof; no guard is asked about).
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {Target} from '../../source/engine/target.js';
import type {Step, Wizard} from '../../source/engine/types.js';
import {SshTarget} from '../../source/targets/ssh.js';
import {runWizard} from '../engine/run-wizard.js';
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

	test("a login fact in a fresh target's first read is answered by that read's own new connection; a later read logs in afresh", async () => {
		const fresh = new SshTarget({kind: 'ssh', host: lab.alias}, {sshConfig: lab.sshConfig, become: false});
		let logins = 0;
		const login = fresh.freshLogin.bind(fresh);
		fresh.freshLogin = async signal => {
			logins++;
			return login(signal);
		};

		try {
			const requests = [
				{kind: 'login', key: 'login'},
				{kind: 'file', key: 'hostname', path: '/etc/hostname'},
			] as const;
			const first = await fresh.facts(requests);
			assert.equal(first.get('login')?.exitCode, 0);
			assert.equal(first.get('hostname')?.exists, true);
			assert.equal(logins, 0, 'the first read was the login');
			const later = await fresh.facts(requests);
			assert.equal(later.get('login')?.exitCode, 0);
			assert.equal(logins, 1, 'a later read (after a change, say) proves a new login of its own');
		} finally {
			await fresh.close();
		}
	});

	test('a run whose lockout steps change nothing makes one round trip to the host: no guard probe, no extra login', async () => {
		const base = mkdtempSync(join(tmpdir(), 'waymark-trips-'));
		const fresh = new SshTarget({kind: 'ssh', host: lab.alias}, {sshConfig: lab.sshConfig, become: false});
		const calls: string[] = [];
		// The login the target makes for itself (from inside facts) is counted on the instance, where it is looked up.
		const login = fresh.freshLogin.bind(fresh);
		fresh.freshLogin = async signal => {
			calls.push('freshLogin');
			return login(signal);
		};

		// Counts what the engine sends to the host; run state and transcript writes stay on this machine.
		const counted = new Proxy(fresh, {
			get(object, property, receiver) {
				const value = Reflect.get(object, property, receiver) as unknown;
				if ((property === 'facts' || property === 'run') && typeof value === 'function') {
					return (...args: unknown[]) => {
						calls.push(String(property));
						return (value as (...rest: unknown[]) => unknown).apply(object, args);
					};
				}

				return value;
			},
		}) as Target;
		const step = (id: string): Step => ({
			id,
			title: id,
			why: 'a lockout step already as wanted',
			role: 'node',
			risk: 'lockout',
			facts: () => [
				{kind: 'login', key: 'login'},
				{kind: 'command', key: 'uname', command: 'uname -s'},
			],
			plan: () => ({actions: [], notes: ['already so']}),
		});
		const wizard: Wizard = {id: 'trips', title: 'trips', guide: 'none', summary: '', roles: ['node'], params: [], steps: [step('a'), step('b'), step('c')]};
		try {
			const run = await runWizard(base, wizard, [counted]);
			assert.equal(run.status, 'done');
			assert.deepEqual(calls, ['facts'], 'one read of every fact, nothing else');
		} finally {
			await fresh.close();
			rmSync(base, {recursive: true, force: true});
		}
	});
});
