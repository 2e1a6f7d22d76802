// `npm run bench`: the goals of issue 11, each a ratio measured side by side in this run, on this machine, through
// the real CLI (bin/waymark on the bundle) as a new process each time, against fresh lab hosts. Prints one table;
// exits 0 once it has printed it, whether the goals are met or not (the met? column says).
// BENCH_ROUNDS (default 5) sets the rounds; BENCH_ONLY=P1,P3 picks goals; BENCH_BIG=0 leaves out the 2M-line runs.
import {labSkipReason} from '../lab/packages.js';
import {type BenchLabs, createBenchLabs} from './lib/labs.js';
import {rounds} from './lib/rounds.js';
import {formatTable, notMeasured, type Row} from './lib/table.js';
import {ensureBundle} from './lib/waymark.js';
import {hasProgram} from './lib/process.js';
import {rerunRows} from './rows/p1-rerun.js';
import {startRows} from './rows/p2-start.js';
import {outputRows} from './rows/p3-output.js';
import {hostsRows} from './rows/p4-hosts.js';
import {tripRows} from './rows/p5-trips.js';

// Interrupted: exit, so the lab hosts' exit hooks kill them and remove their files.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const wantedHosts = 10;
const only = new Set((process.env['BENCH_ONLY'] ?? 'P1,P2,P3,P4,P5').split(',').map(goal => goal.trim().toUpperCase()));
const log = (line: string) => console.error(`bench: ${line}`);
const rows: Row[] = [];
const notes: string[] = [];

/** A goal's rows, or one row saying why they are missing; the bench goes on either way. */
async function goal(name: string, what: string, target: string, work: () => Promise<Row[]>): Promise<void> {
	if (!only.has(name)) return;
	log(`${name}…`);
	ensureBundle();
	try {
		rows.push(...(await work()));
	} catch (error) {
		const message = (error as Error).message;
		log(`${name} failed: ${message}`);
		rows.push(notMeasured(name, what, message.split('\n')[0]!.slice(0, 160), target));
	}
}

const rebuiltBefore = ensureBundle();
notes.push(
	`bundle: dist/cli.js ${rebuiltBefore > 0 ? 'rebuilt' : 'current'} at the start; ${rounds} interleaved rounds per comparison, medians with (min–max)`,
);
const tmux = hasProgram('tmux');

await goal('P2', 'start of the waymark command', '≤ 200 ms', async () => {
	if (!tmux) return [notMeasured('P2', 'start of the waymark command', 'apt-get install tmux', '≤ 200 ms')];
	return startRows();
});

let labs: BenchLabs | undefined;
const labGoals = ['P1', 'P3', 'P4', 'P5'].filter(name => only.has(name));
try {
	if (labGoals.length > 0) {
		const skip = await labSkipReason().catch((error: unknown) => (error as Error).message);
		if (skip === undefined) {
			try {
				labs = await createBenchLabs(only.has('P4') ? wantedHosts : 1, log);
				notes.push(`lab: ${labs.note} (Debian trixie, systemd), uwsgi-node run to done on all: ${labs.setup}`);
			} catch (error) {
				log(`no lab hosts: ${(error as Error).message}`);
				notes.push(`no lab hosts: ${(error as Error).message.split('\n')[0]}`);
			}
		} else {
			notes.push(`no lab hosts: ${skip}`);
		}
	}

	const lab = labs;
	const withLab = (name: string, what: string, target: string, work: (labs: BenchLabs) => Promise<Row[]>) =>
		goal(name, what, target, async () => (lab === undefined ? [notMeasured(name, what, 'no lab host (see above)', target)] : work(lab)));

	await withLab('P1', 'idempotent re-run over ssh', '≥ 10× Ansible, ≤ 1.5× floor', async current => rerunRows(current));
	await withLab('P5', 'round trips of a no-op re-run', 'exactly 1 per host', async current => tripRows(current));
	await withLab('P4', 'check and run on many hosts', '≤ 1.5× one host', async current => hostsRows(current, wantedHosts));
	await withLab('P3', 'chatty output through the CLI', '≤ 2×, ≤ 100 MiB, flat', async current => {
		if (!tmux) notes.push('P3: no tmux, so no TUI rows');
		return outputRows(current, {big: process.env['BENCH_BIG'] !== '0', tui: tmux});
	});
} finally {
	await labs?.destroy();
}

const rebuiltAfter = ensureBundle();
if (rebuiltAfter > rebuiltBefore)
	notes.push(`the sources changed during the bench: the bundle was rebuilt ${rebuiltAfter - rebuiltBefore} time(s) between goals`);
const order = ['P1', 'P2', 'P3', 'P4', 'P5'];
rows.sort((a, b) => order.indexOf(a.goal) - order.indexOf(b.goal));
console.log(notes.map(note => `- ${note}`).join('\n'));
console.log('');
console.log(formatTable(rows));
