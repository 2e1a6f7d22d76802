// The exported uwsgi-node project, run by real Ansible against a fresh Debian 13 lab host over ssh, next to a twin
// host that Waymark sets up with the same answers (and the same vault): the steps that export reach the same /etc
// (bytes, mode, owner), a second ansible-playbook reports changed=0, and `waymark check` passes them on the
// Ansible-made host. Then an sshd change that locks the key out is rolled back by itself, and logins still work.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {stringify} from 'yaml';
import {createLabNetwork, type LabNetwork} from '../lab/lab-host.js';
import {ansibleSkipReason, labSkipReason} from '../lab/packages.js';
import {jsonEvents, waymark} from './cli.js';
import {etcDifferences, etcTree} from './guide-matrix.js';

const skip = (await labSkipReason()) ?? (await ansibleSkipReason());
const wizard = 'uwsgi-node';

/** A play's recap line for the host: ok, changed, unreachable, failed counts. */
function recap(output: string, alias: string): Record<string, number> {
	const line = output.split('\n').find(each => each.startsWith(`${alias} `) && each.includes('changed=')) ?? '';
	return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map(match => [match[1], Number(match[2])]));
}

describe('the exported uwsgi-node project under real Ansible, on fresh Debian 13', {skip}, () => {
	const base = mkdtempSync(join(tmpdir(), 'waymark-export-lab-'));
	const env = {WAYMARK_HOME: join(base, 'home')};
	const vault = join(base, 'vault');
	let byAnsible: LabNetwork | undefined;
	let byWaymark: LabNetwork | undefined;
	let exported: string[] = [];
	const project = join(base, 'project');

	const answersFile = (name: string, extra: Record<string, unknown> = {}) => {
		const path = join(base, `${name}.yaml`);
		writeFileSync(path, stringify({publicIp: '192.0.2.10', apiDomain: 'node1.example.test', peerNodes: ['192.0.2.11'], vault, ...extra}));
		return path;
	};

	const playbook = async (dir: string) =>
		execa('ansible-playbook', ['site.yml'], {cwd: dir, reject: false, all: true, timeout: 900_000, env: {ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0'}});

	/** Exports the guide for the Ansible host, its inventory naming the lab host through the lab's ssh config. */
	const exportFor = async (network: LabNetwork, out: string, answers: string, extra: readonly string[] = []) => {
		const host = network.hosts[0]!;
		const inventory = join(base, `inventory-${out.split('/').at(-1)}`);
		writeFileSync(inventory, `[node]\n${host.alias} ansible_user=root ansible_ssh_common_args='-F ${network.sshConfig}'\n`);
		return waymark(['export', 'ansible', wizard, '--answers', answers, '--inventory', inventory, '--out', out, ...extra], env);
	};

	before(async () => {
		// Twins: the same names and addresses, so their /etc compare file by file.
		[byAnsible, byWaymark] = await Promise.all([createLabNetwork(1, {prefix: 'exp', image: 'trixie'}), createLabNetwork(1, {prefix: 'exp', image: 'trixie'})]);
		// Ansible's modules need python3 on the host (Waymark does not); both twins get it, from the lab's own apt repository.
		for (const network of [byAnsible, byWaymark]) {
			const python = await network.hosts[0]!.exec(
				'export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends python3 python3-apt',
				{
					timeoutMs: 300_000,
				},
			);
			assert.equal(python.exitCode, 0, python.stderr);
		}
	});

	after(async () => {
		await Promise.all([byAnsible?.destroy(), byWaymark?.destroy()]);
		rmSync(base, {recursive: true, force: true});
	});

	test('ansible-playbook reaches the same /etc as waymark run with the same answers, for every step that exports', async () => {
		const made = await exportFor(byAnsible!, project, answersFile('answers'));
		assert.equal(made.exitCode, 0, made.stderr);
		exported = [...made.stdout.matchAll(/^[✔◐] (\S+) +(exported|partly)$/gm)].map(match => match[1]!);
		assert.ok(exported.includes('sshd-hardening') && exported.includes('packages'), made.stdout);
		const first = await playbook(project);
		assert.equal(first.exitCode, 0, String(first.all));
		const alias = byAnsible!.hosts[0]!.alias;
		assert.equal(recap(String(first.all), alias)['failed'], 0, String(first.all));

		const twin = byWaymark!.hosts[0]!;
		const run = await waymark(
			[
				'run',
				wizard,
				'--target',
				`ssh:${twin.alias}`,
				'--ssh-config',
				byWaymark!.sshConfig,
				'--answers',
				answersFile('answers'),
				'--only',
				exported.join(','),
				'--yes',
				'--json',
			],
			env,
		);
		const end = jsonEvents(String(run.stdout)).find(event => event.type === 'run-end') as {status?: string} | undefined;
		assert.equal(end?.status, 'done', String(run.stdout).slice(-3000));
		const [ansibleEtc, waymarkEtc] = await Promise.all([etcTree(byAnsible!.hosts[0]!), etcTree(twin)]);
		assert.deepEqual(etcDifferences(waymarkEtc, ansibleEtc, []), []);
	});

	test('a second ansible-playbook reports changed=0, and waymark check passes the exported steps on the Ansible-made host', async () => {
		const second = await playbook(project);
		assert.equal(second.exitCode, 0, String(second.all));
		const alias = byAnsible!.hosts[0]!.alias;
		assert.equal(recap(String(second.all), alias)['changed'], 0, String(second.all));
		const check = await waymark(
			['check', wizard, '--target', `ssh:${alias}`, '--ssh-config', byAnsible!.sshConfig, '--answers', answersFile('answers'), '--json'],
			env,
		);
		const findings = jsonEvents(String(check.stdout)) as Array<{stepId: string; id: string; status: string; evidence: string}>;
		const ours = findings.filter(finding => exported.includes(finding.stepId));
		assert.ok(ours.length > 0, String(check.stdout) + String(check.stderr));
		assert.deepEqual(
			ours.filter(finding => finding.status === 'fail').map(finding => `${finding.stepId} ${finding.id}: ${finding.evidence}`),
			[],
		);
	});

	test('an sshd change that locks the key out is rolled back by itself under Ansible, and a fresh login still works', async () => {
		const host = byAnsible!.hosts[0]!;
		const before = await host.readFile('/etc/ssh/sshd_config.d/00-waymark.conf');
		const locked = join(base, 'locked');
		// Keys only from a file nobody has: sshd -t accepts it, and the next login is refused.
		const made = await exportFor(byAnsible!, locked, answersFile('locked', {sshAuthorizedKeysFile: '/etc/ssh/nobody-has-these-keys'}), [
			'--guard-seconds',
			'15',
		]);
		assert.equal(made.exitCode, 0, made.stderr);
		const run = await playbook(locked);
		assert.notEqual(run.exitCode, 0, String(run.all));
		// The change was made (the guard armed first), and the proof after it is what failed.
		assert.match(String(run.all), /TASK \[\[sshd-hardening\] Arm the rollback[^\n]*\n(ok|changed): /);
		assert.match(String(run.all), /TASK \[\[sshd-hardening\] The settings in [^\n]*\nchanged: /);
		assert.match(String(run.all), /TASK \[\[sshd-hardening\] A fresh login works \(after the change\)\][^\n]*\n(fatal|failed)/);
		// The armed timer restores by itself (15 s); bounded wait for the way back in.
		let login = await host.ssh('echo in', {timeoutMs: 10_000});
		for (let attempt = 0; attempt < 20 && login.exitCode !== 0; attempt++) {
			await new Promise(resolve => {
				setTimeout(resolve, 2000);
			});
			login = await host.ssh('echo in', {timeoutMs: 10_000});
		}

		assert.equal(login.stdout, 'in\n', login.stderr);
		assert.equal(await host.readFile('/etc/ssh/sshd_config.d/00-waymark.conf'), before);
	});
});
