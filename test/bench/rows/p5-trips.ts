// P5: what a re-run with nothing to do sends to each host, counted by bin/ssh (first on the waymark process's PATH):
// the commands through Waymark's remote shell, plus ssh processes that ran a command of their own.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {LabHost} from '../../lab/lab-host.js';
import type {BenchLabs} from '../lib/labs.js';
import {readSshLog} from '../lib/ssh-log.js';
import {type Row, yesNo} from '../lib/table.js';
import {repoRoot} from '../lib/waymark.js';
import {rerun} from './p1-rerun.js';

async function counted(labs: BenchLabs, hosts: readonly LabHost[]): Promise<Row> {
	const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-ssh-'));
	try {
		const log = join(dir, 'ssh');
		await rerun(labs, hosts, {PATH: `${join(repoRoot, 'test/bench/bin')}:${process.env['PATH'] ?? ''}`, BENCH_SSH_LOG: log});
		const trips = [
			...readSshLog(
				log,
				hosts.map(host => host.alias),
			).values(),
		];
		const perHost = trips.map(each => each.shellCommands + each.separateCommands);
		const worst = Math.max(...perHost);
		const first = trips[0]!;
		const same = perHost.every(count => count === perHost[0]);
		return {
			goal: 'P5',
			what: `remote commands per host in a no-op re-run of uwsgi-node, ${hosts.length} host${hosts.length === 1 ? '' : 's'} (ssh wrapper on PATH)`,
			measured: `${same ? perHost[0] : `${Math.min(...perHost)}–${worst}`} per host: ${first.shellCommands} through the shared shell + ${first.separateCommands} own ssh (fresh login); ${first.sessions} connection, ${first.controls} -O call`,
			baseline: '1 round trip',
			ratio: `${worst}×`,
			target: 'exactly 1',
			met: yesNo(worst === 1),
		};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

export async function tripRows(labs: BenchLabs): Promise<Row[]> {
	const rows = [await counted(labs, labs.hosts.slice(0, 1))];
	if (labs.hosts.length > 1) rows.push(await counted(labs, labs.hosts));
	return rows;
}
