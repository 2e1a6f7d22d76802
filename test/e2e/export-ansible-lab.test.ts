// Exported projects run by real Ansible against fresh Debian 13 lab hosts over ssh, next to twin hosts that Waymark
// sets up with the same answers (and the same vault). Every step of both guides exports, so the twins run the whole
// guide: the same /etc (bytes, mode, owner), a second ansible-playbook reports changed=0, and `waymark check` passes
// the Ansible-made hosts.
// On uwsgi-node, an sshd change that locks the key out is then rolled back by itself, and logins still work.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {stringify} from 'yaml';
import {createLabNetwork, type LabHost, type LabNetwork} from '../lab/lab-host.js';
import {ansibleSkipReason, labSkipReason} from '../lab/packages.js';
import {jsonEvents, waymark} from './cli.js';
import {bindHosts, etcDifferences, etcTree, type Hosts} from './guide-matrix.js';
import {installStandIns, labSource} from './lab-sources.js';

const skip = (await labSkipReason()) ?? (await ansibleSkipReason());

interface ExportCase {
	readonly wizard: string;
	readonly roles: readonly {readonly role: string; readonly count: number}[];
	/** The required answers (the vault is added). */
	answers(hosts: Hosts): Record<string, unknown>;
	/** Every step exports (whole or partly): the twin then runs the whole guide, not only the exported steps. */
	readonly whole: boolean;
	/** Prove on this case that a lockout change under Ansible restores itself. */
	readonly lockout?: boolean;
	/** Puts what the answers point at on a host (local git repositories), before anything runs; on both twins. */
	prepare?(host: LabHost): Promise<void>;
}

const cases: readonly ExportCase[] = [
	{
		wizard: 'uwsgi-node',
		roles: [{role: 'node', count: 1}],
		answers: () => ({
			publicIp: '192.0.2.10',
			apiDomain: 'node1.example.test',
			peerNodes: ['192.0.2.11'],
			nssSource: labSource('nss-unbit'),
			pamSource: labSource('pam-unbit'),
			uwsgiItSource: labSource('uwsgi.it'),
		}),
		whole: true,
		prepare: installStandIns,
		lockout: true,
	},
	{
		wizard: 'hypervisors',
		roles: [
			{role: 'webserver', count: 1},
			{role: 'dbserver', count: 1},
			{role: 'hypervisor', count: 1},
		],
		answers: hosts => ({
			operatorUser: 'spike',
			maasAddress: hosts['webserver']![0]!.address!,
			tunnelEndpoints: hosts['hypervisor']!.map(host => host.address!),
			dbAddress: hosts['dbserver']![0]!.address!,
			webAddress: hosts['webserver']![0]!.address!,
		}),
		whole: true,
	},
];

/** A backup copy Ansible leaves beside a file it changed (`backup: true`). */
const ansibleBackup = /\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/;

/** A play's recap line for the host: ok, changed, unreachable, failed counts. */
function recap(output: string, alias: string): Record<string, number> {
	const line = output.split('\n').find(each => each.startsWith(`${alias} `) && each.includes('changed=')) ?? '';
	return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map(match => [match[1], Number(match[2])]));
}

const playbook = async (dir: string) =>
	execa('ansible-playbook', ['site.yml'], {cwd: dir, reject: false, all: true, timeout: 1_200_000, env: {ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0'}});

for (const each of cases) {
	describe(`the exported ${each.wizard} project under real Ansible, on fresh Debian 13`, {skip}, () => {
		const base = mkdtempSync(join(tmpdir(), 'waymark-export-lab-'));
		const env = {WAYMARK_HOME: join(base, 'home')};
		const vault = join(base, 'vault');
		const project = join(base, 'project');
		const count = each.roles.reduce((sum, role) => sum + role.count, 0);
		let byAnsible: LabNetwork | undefined;
		let byWaymark: LabNetwork | undefined;
		let exported: string[] = [];
		const all = (network: LabNetwork | undefined) => network?.hosts ?? [];

		const answersFile = (name: string, extra: Record<string, unknown> = {}) => {
			const path = join(base, `${name}.yaml`);
			writeFileSync(path, stringify({...each.answers(bindHosts(byAnsible!, each.roles)), vault, ...extra}));
			return path;
		};

		/** Exports the guide for the Ansible hosts, its inventory naming them through the lab's ssh config. */
		const exportFor = async (out: string, answers: string, extra: readonly string[] = []) => {
			const inventory = join(base, `inventory-${out.split('/').at(-1)}`);
			const groups = Object.entries(bindHosts(byAnsible!, each.roles)).map(
				([role, hosts]) =>
					`[${role}]\n${hosts.map(host => `${host.alias} ansible_user=root ansible_ssh_common_args='-F ${byAnsible!.sshConfig}'`).join('\n')}\n`,
			);
			writeFileSync(inventory, groups.join('\n'));
			return waymark(['export', 'ansible', each.wizard, '--answers', answers, '--inventory', inventory, '--out', out, ...extra], env);
		};

		before(async () => {
			// Twins: the same names and addresses, so their /etc compare file by file.
			const prefix = each.wizard.replace(/[^a-z]/g, '').slice(0, 6);
			[byAnsible, byWaymark] = await Promise.all([createLabNetwork(count, {prefix, image: 'trixie'}), createLabNetwork(count, {prefix, image: 'trixie'})]);
			// Ansible's modules need python3 on the host (Waymark does not); every twin gets it, from the lab's own apt repository.
			await Promise.all(
				[...all(byAnsible), ...all(byWaymark)].map(async host => {
					const python = await host.exec(
						'export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends python3 python3-apt',
						{
							timeoutMs: 300_000,
						},
					);
					assert.equal(python.exitCode, 0, python.stderr);
					await each.prepare?.(host);
				}),
			);
		});

		after(async () => {
			await Promise.all([byAnsible?.destroy(), byWaymark?.destroy()]);
			rmSync(base, {recursive: true, force: true});
		});

		test('ansible-playbook reaches the same /etc as waymark run with the same answers (the whole guide: every step exports)', async () => {
			const made = await exportFor(project, answersFile('answers'));
			assert.equal(made.exitCode, 0, made.stderr);
			exported = [...new Set([...made.stdout.matchAll(/^[✔◐] (\S+) +(exported|partly)$/gm)].map(match => match[1]!))];
			if (each.whole) {
				assert.doesNotMatch(made.stdout, /^✗ /m, 'every step exports');
			}

			const first = await playbook(project);
			assert.equal(first.exitCode, 0, String(first.all));
			for (const host of all(byAnsible)) {
				assert.equal(recap(String(first.all), host.alias)['failed'], 0, String(first.all));
			}

			const twins = bindHosts(byWaymark!, each.roles);
			const targets = Object.entries(twins).flatMap(([role, hosts]) =>
				hosts.flatMap(host => ['--target', each.roles.length === 1 ? `ssh:${host.alias}` : `${role}=ssh:${host.alias}`]),
			);
			const run = await waymark(
				[
					'run',
					each.wizard,
					...targets,
					'--ssh-config',
					byWaymark!.sshConfig,
					'--answers',
					answersFile('answers'),
					...(each.whole ? [] : ['--only', exported.join(',')]),
					'--yes',
					'--json',
				],
				env,
			);
			const end = jsonEvents(String(run.stdout)).find(event => event.type === 'run-end') as {status?: string} | undefined;
			assert.equal(end?.status, 'done', String(run.stdout).slice(-3000));
			for (const [index, host] of all(byAnsible).entries()) {
				const [ansibleEtc, waymarkEtc] = await Promise.all([etcTree(host), etcTree(all(byWaymark)[index]!)]);
				// Each tool keeps its backups its own way: Waymark under /var/backups/waymark/RUN_ID, Ansible's `backup: true`
				// beside the file (FILE.PID.DATE@TIME~, which the services' include globs skip). Only those are set aside.
				const backups = [...ansibleEtc.keys()].filter(path => ansibleBackup.test(path));
				for (const path of backups) {
					assert.ok(waymarkEtc.has(path.replace(ansibleBackup, '')), `${path} backs up a file the play edited`);
					ansibleEtc.delete(path);
				}

				assert.deepEqual(etcDifferences(waymarkEtc, ansibleEtc, []), [], `${host.alias}: /etc as Ansible made it differs from the twin's`);
			}
		});

		test('a second ansible-playbook reports changed=0, and waymark check passes the Ansible-made hosts', async () => {
			const second = await playbook(project);
			assert.equal(second.exitCode, 0, String(second.all));
			for (const host of all(byAnsible)) {
				assert.equal(recap(String(second.all), host.alias)['changed'], 0, String(second.all));
			}

			const targets = Object.entries(bindHosts(byAnsible!, each.roles)).flatMap(([role, hosts]) =>
				hosts.flatMap(host => ['--target', each.roles.length === 1 ? `ssh:${host.alias}` : `${role}=ssh:${host.alias}`]),
			);
			const check = await waymark(['check', each.wizard, ...targets, '--ssh-config', byAnsible!.sshConfig, '--answers', answersFile('answers'), '--json'], env);
			const findings = jsonEvents(String(check.stdout)) as Array<{stepId: string; id: string; status: string; evidence: string}>;
			const ours = findings.filter(finding => each.whole || exported.includes(finding.stepId));
			assert.ok(ours.length > 0, String(check.stdout) + String(check.stderr));
			assert.deepEqual(
				ours.filter(finding => finding.status === 'fail').map(finding => `${finding.stepId} ${finding.id}: ${finding.evidence}`),
				[],
			);
		});

		if (each.lockout) {
			test('an sshd change that locks the key out is rolled back by itself under Ansible, and a fresh login still works', async () => {
				const host = all(byAnsible)[0]!;
				const before = await host.readFile('/etc/ssh/sshd_config.d/00-waymark.conf');
				const locked = join(base, 'locked');
				// Keys only from a file nobody has: sshd -t accepts it, and the next login is refused.
				const made = await exportFor(locked, answersFile('locked', {sshAuthorizedKeysFile: '/etc/ssh/nobody-has-these-keys'}), ['--guard-seconds', '15']);
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
		}
	});
}
