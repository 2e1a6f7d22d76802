// P4: `check` and a no-op `run` of uwsgi-node on every lab host at once, against the same on one host.
import type {LabHost} from '../../lab/lab-host.js';
import type {BenchLabs} from '../lib/labs.js';
import {targetArgs} from '../lib/labs.js';
import {timed} from '../lib/process.js';
import {interleaved} from '../lib/rounds.js';
import {spread, stats} from '../lib/stats.js';
import {notMeasured, type Row, yesNo} from '../lib/table.js';
import {waymark} from '../lib/waymark.js';
import {rerun} from './p1-rerun.js';

async function check(labs: BenchLabs, hosts: readonly LabHost[]): Promise<number> {
	const result = await timed(waymark('check', 'uwsgi-node', ...targetArgs(hosts), '--ssh-config', labs.sshConfig, '--answers', labs.answersFile), {
		env: {WAYMARK_HOME: labs.home},
	});
	if (result.exitCode !== 0) throw new Error(`check found problems on a finished host (exit ${result.exitCode}):\n${result.tail}`);
	return result.ms;
}

export async function hostsRows(labs: BenchLabs, wanted: number): Promise<Row[]> {
	const count = labs.hosts.length;
	const label = count === wanted ? `${count} hosts` : `${count} hosts, not ${wanted}: ${labs.note}`;
	if (count < 2) return [notMeasured('P4', 'check and run on many hosts', `only ${count} lab host could be made (${labs.note})`, '≤ 1.5× one host')];
	const one = labs.hosts.slice(0, 1);
	const samples = await interleaved({
		checkOne: async () => check(labs, one),
		checkAll: async () => check(labs, labs.hosts),
		runOne: async () => rerun(labs, one),
		runAll: async () => rerun(labs, labs.hosts),
	});
	const row = (what: string, all: number[], single: number[]): Row => {
		const many = stats(all);
		const alone = stats(single);
		return {
			goal: 'P4',
			what: `${what} on ${label}`,
			measured: spread(many),
			baseline: `${spread(alone)} one host`,
			ratio: `${(many.median / alone.median).toFixed(2)}×`,
			target: '≤ 1.5×',
			met: yesNo(many.median / alone.median <= 1.5),
		};
	};
	return [
		row('`check uwsgi-node` (read-only, whole guide)', samples.checkAll, samples.checkOne),
		row(`no-op \`run uwsgi-node --yes --forks ${count}\``, samples.runAll, samples.runOne),
	];
}
