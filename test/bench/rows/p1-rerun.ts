// P1: a finished uwsgi-node run again, over ssh, as a new process each time; against tuned Ansible doing the same
// checks on the same host, and against the floors (node -e 0 plus one ssh call of a facts-like script).
import type {LabHost} from '../../lab/lab-host.js';
import {ansiblePeer} from '../lib/ansible.js';
import type {BenchLabs} from '../lib/labs.js';
import {targetArgs} from '../lib/labs.js';
import {timed} from '../lib/process.js';
import {interleaved} from '../lib/rounds.js';
import {sshFloors} from '../lib/ssh-floor.js';
import {spread, stats} from '../lib/stats.js';
import {notMeasured, type Row, yesNo} from '../lib/table.js';
import {waymark} from '../lib/waymark.js';

/** The same command as the finished run, for one host: exits 0 having changed nothing, or the bench says so. */
export function rerunArgs(labs: BenchLabs, hosts: readonly LabHost[]): string[] {
	return waymark(
		'run',
		'uwsgi-node',
		...targetArgs(hosts),
		'--ssh-config',
		labs.sshConfig,
		'--answers',
		labs.answersFile,
		'--yes',
		'--plain',
		'--forks',
		String(hosts.length),
	);
}

export async function rerun(labs: BenchLabs, hosts: readonly LabHost[], env: Readonly<Record<string, string>> = {}): Promise<number> {
	const result = await timed(rerunArgs(labs, hosts), {env: {WAYMARK_HOME: labs.home, ...env}, keepOutput: true});
	const changed = /^Done: \d+ ok, (\d+) changed, (\d+) failed/m.exec(result.output ?? '');
	if (result.exitCode !== 0 || changed?.[1] !== '0' || changed[2] !== '0') {
		throw new Error(`the re-run was not a no-op (exit ${result.exitCode}):\n${result.tail}`);
	}

	return result.ms;
}

export async function rerunRows(labs: BenchLabs): Promise<Row[]> {
	const host = labs.hosts[0]!;
	const setup = labs.setup === 'done' ? '' : ` (${labs.setup})`;
	const peer = await ansiblePeer(host, labs.sshConfig, labs.dir);
	const floors = sshFloors(labs.sshConfig, host.alias, labs.dir);
	try {
		const samples = await interleaved({
			waymark: async () => rerun(labs, [host]),
			ansible: 'run' in peer ? peer.run : undefined,
			fresh: floors.fresh,
			warm: floors.warm,
		});
		const mine = stats(samples.waymark);
		const fresh = stats(samples.fresh);
		const warm = stats(samples.warm);
		const rows: Row[] = [];
		if ('missing' in peer) {
			rows.push(notMeasured('P1', 'uwsgi-node re-run vs tuned Ansible', peer.missing, '≥ 10× faster'));
		} else {
			const theirs = stats(samples.ansible);
			rows.push({
				goal: 'P1',
				what: `uwsgi-node re-run (15 steps) vs ${peer.version.replace(/ \[.*$/, '')} --check, 15 tasks, pipelining + ControlPersist${setup}`,
				measured: spread(mine),
				baseline: spread(theirs),
				ratio: `${(theirs.median / mine.median).toFixed(1)}× faster`,
				target: '≥ 10× faster',
				met: yesNo(theirs.median / mine.median >= 10),
			});
		}

		rows.push(
			{
				goal: 'P1',
				what: `uwsgi-node re-run vs fresh floor: node -e 0 + 1 new ssh connection running a facts-like script${setup}`,
				measured: spread(mine),
				baseline: spread(fresh),
				ratio: `${(mine.median / fresh.median).toFixed(2)}×`,
				target: '≤ 1.5×',
				met: yesNo(mine.median / fresh.median <= 1.5),
			},
			{
				goal: 'P1',
				what: 'same re-runs vs warm floor (the script over an open ControlMaster); a Waymark run keeps no connection for the next one, so its re-run opens its own',
				measured: spread(mine),
				baseline: spread(warm),
				ratio: `${(mine.median / warm.median).toFixed(2)}×`,
				target: '≤ 1.5×',
				met: yesNo(mine.median / warm.median <= 1.5),
			},
		);
		return rows;
	} finally {
		floors.close();
	}
}
