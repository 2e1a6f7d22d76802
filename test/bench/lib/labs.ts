// The lab hosts of the bench: fresh-image hosts on one lab network (10 for row P4, fewer if the machine cannot),
// each given the guide's git sources as stand-ins, then one uwsgi-node run to done on all of them at once.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {installStandIns, labSource} from '../../e2e/lab-sources.js';
import {createLabNetwork, type LabHost, type LabNetwork} from '../../lab/lab-host.js';
import {timed} from './process.js';
import {ms} from './stats.js';
import {waymark} from './waymark.js';

export interface BenchLabs {
	readonly hosts: readonly LabHost[];
	readonly sshConfig: string;
	/** The answers of the finished run. */
	readonly answersFile: string;
	/** WAYMARK_HOME of the finished run. */
	readonly home: string;
	/** Scratch space, removed with the labs. */
	readonly dir: string;
	/** How many hosts were asked for, and why fewer came, if they did. */
	readonly note: string;
	/** How the first run went: 'done' or why not. */
	readonly setup: string;
	destroy(): Promise<void>;
}

export const answers = {
	publicIp: '192.0.2.10',
	apiDomain: 'node1.example.test',
	peerNodes: ['192.0.2.11', '192.0.2.12'],
	nssSource: labSource('nss-unbit'),
	pamSource: labSource('pam-unbit'),
	uwsgiItSource: labSource('uwsgi.it'),
};

/** `--target ssh:HOST` for each host. */
export function targetArgs(hosts: readonly LabHost[]): string[] {
	return hosts.flatMap(host => ['--target', `ssh:${host.alias}`]);
}

async function network(wanted: number): Promise<{network: LabNetwork; note: string}> {
	const tried: string[] = [];
	for (const count of [wanted, 5, 2].filter((count, index, all) => count <= wanted && all.indexOf(count) === index)) {
		try {
			const created = await createLabNetwork(count, {prefix: 'bench', subnet: '10.97.0'});
			return {network: created, note: tried.length === 0 ? `${count} hosts` : `${count} hosts (${tried.join('; ')})`};
		} catch (error) {
			tried.push(`${count} failed: ${(error as Error).message.split('\n')[0]}`);
		}
	}

	throw new Error(`no lab network: ${tried.join('; ')}`);
}

export async function createBenchLabs(wanted: number, log: (line: string) => void): Promise<BenchLabs> {
	const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));
	let created: LabNetwork | undefined;
	try {
		const {network: lab, note} = await network(wanted);
		created = lab;
		log(`lab network: ${note}`);
		await Promise.all(lab.hosts.map(async host => installStandIns(host)));
		const answersFile = join(dir, 'answers.yml');
		writeFileSync(answersFile, stringify(answers));
		const home = join(dir, 'home');
		const first = await timed(
			waymark(
				'run',
				'uwsgi-node',
				...targetArgs(lab.hosts),
				'--ssh-config',
				lab.sshConfig,
				'--answers',
				answersFile,
				'--yes',
				'--plain',
				'--forks',
				String(lab.hosts.length),
			),
			{env: {WAYMARK_HOME: home}},
		);
		const setup = first.exitCode === 0 ? 'done' : `the first run ended with exit ${first.exitCode}: ${first.tail.trim().split('\n').at(-1) ?? ''}`;
		log(`uwsgi-node on ${lab.hosts.length} hosts: ${setup} in ${ms(first.ms)}`);
		return {
			hosts: lab.hosts,
			sshConfig: lab.sshConfig,
			answersFile,
			home,
			dir,
			note,
			setup,
			async destroy() {
				try {
					await lab.destroy();
				} finally {
					rmSync(dir, {recursive: true, force: true});
				}
			},
		};
	} catch (error) {
		await created?.destroy();
		rmSync(dir, {recursive: true, force: true});
		throw error;
	}
}
