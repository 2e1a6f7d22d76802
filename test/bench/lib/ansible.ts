// The Ansible peer of row P1: peer/uwsgi-node.yml in check mode against the same lab host, tuned as a careful
// operator would: pipelining, ControlPersist, no fact gathering, the interpreter named (no discovery).
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {LabHost} from '../../lab/lab-host.js';
import {hasProgram, timed} from './process.js';
import {repoRoot} from './waymark.js';

export const playbook = join(repoRoot, 'test/bench/peer/uwsgi-node.yml');

/** python3 on the host, from the lab's own apt repository (the machine's cache: labs reach no network). */
async function ensurePython(host: LabHost): Promise<boolean> {
	if ((await host.exec('command -v python3')).exitCode === 0) return true;
	const install = await host.exec('DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3', {timeoutMs: 300_000});
	return install.exitCode === 0 && (await host.exec('command -v python3')).exitCode === 0;
}

export type Peer = {readonly run: () => Promise<number>; readonly version: string} | {readonly missing: string};

export async function ansiblePeer(host: LabHost, sshConfig: string, dir: string): Promise<Peer> {
	if (!hasProgram('ansible-playbook')) return {missing: 'apt-get install ansible-core'};
	if (!(await ensurePython(host))) return {missing: 'the lab image has no python3'};
	const home = join(dir, 'ansible');
	mkdirSync(join(home, 'cp'), {recursive: true});
	const config = join(home, 'ansible.cfg');
	writeFileSync(
		config,
		[
			'[defaults]',
			'gathering = explicit',
			'host_key_checking = False',
			'interpreter_python = /usr/bin/python3',
			'retry_files_enabled = False',
			'[ssh_connection]',
			'pipelining = True',
			'ssh_args = -o ControlMaster=auto -o ControlPersist=600s',
			`control_path_dir = ${join(home, 'cp')}`,
			'',
		].join('\n'),
	);
	const inventory = join(home, 'inventory');
	writeFileSync(inventory, `${host.alias} ansible_user=root ansible_ssh_common_args='-F ${sshConfig}'\n`);
	const version = execFileSync('ansible-playbook', ['--version'], {encoding: 'utf8'}).split('\n')[0] ?? 'ansible';
	return {
		version,
		async run() {
			const result = await timed(['ansible-playbook', '-i', inventory, '--check', playbook], {env: {ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: '1'}});
			if (result.exitCode !== 0 || !/changed=0\s+unreachable=0\s+failed=0/.test(result.tail)) {
				throw new Error(`ansible-playbook did not find the host as the guide leaves it (exit ${result.exitCode}):\n${result.tail}`);
			}

			return result.ms;
		},
	};
}
