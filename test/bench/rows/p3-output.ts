// P3: a chatty command through the real CLI. No guide step prints N lines, so the bench gives uwsgi-node's
// nss-module step a source of its own (the guide's build-from-source path: git clone, make): a git repository on
// the host whose Makefile prints N lines and then fails, so the step ends failed and the host is left as it was,
// and every round is the same. The baseline is a plain node forwarder (lib/forward.mjs) running the same build
// script over its own ssh connection, in the same harness: a pipe for --plain and --json, tmux for the TUI.
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {execa} from 'execa';
import {stringify} from 'yaml';
import {buildFromSource} from '../../../wizards/uwsgi-node/nss-module.js';
import {startTerminal} from '../../e2e/terminal.js';
import type {LabHost} from '../../lab/lab-host.js';
import type {BenchLabs} from '../lib/labs.js';
import {readRss, rssWrapper, timed} from '../lib/process.js';
import {rounds as defaultRounds, interleaved} from '../lib/rounds.js';
import {mib, spread, stats} from '../lib/stats.js';
import {type Row, yesNo} from '../lib/table.js';
import {projectNode, repoRoot, waymark} from '../lib/waymark.js';

const forwarder = join(repoRoot, 'test/bench/lib/forward.mjs');
const lineText = 'line %.0f of a chatty build';

/** A git repository at /srv/src/lines-N on the host whose `make` prints N lines, then fails. */
async function linesSource(host: LabHost, lines: number, dir: string): Promise<string> {
	const name = `lines-${lines}`;
	const repo = join(dir, name);
	mkdirSync(repo, {recursive: true});
	writeFileSync(join(repo, 'Makefile'), `all:\n\t@seq -f '${lineText}' ${lines}\n\t@false\n`);
	const git = async (...args: string[]) =>
		execa('git', ['-c', 'user.name=waymark-bench', '-c', 'user.email=bench@waymark.invalid', '-c', 'init.defaultBranch=main', ...args], {cwd: repo});
	await git('init', '-q');
	await git('add', '.');
	await git('commit', '-q', '-m', 'prints lines');
	mkdirSync(join(host.rootDir, 'srv/src'), {recursive: true});
	cpSync(repo, join(host.rootDir, 'srv/src', name), {recursive: true});
	return `/srv/src/${name}`;
}

type Mode = 'tui' | 'plain' | 'json';

interface Sample {
	readonly ms: number;
	readonly rssKb: number;
}

interface Setup {
	readonly host: LabHost;
	readonly labs: BenchLabs;
	readonly dir: string;
}

function cliArgs(setup: Setup, answersFile: string, mode: Mode): string[] {
	const output = mode === 'tui' ? [] : [`--${mode}`];
	return waymark(
		'run',
		'uwsgi-node',
		'--only',
		'nss-module',
		'--target',
		`ssh:${setup.host.alias}`,
		'--ssh-config',
		setup.labs.sshConfig,
		'--answers',
		answersFile,
		'--yes',
		...output,
	);
}

function forwardArgs(setup: Setup, source: string): string[] {
	const ssh = [
		'ssh',
		'-F',
		setup.labs.sshConfig,
		'-o',
		'BatchMode=yes',
		'-o',
		'ControlMaster=no',
		'-o',
		'ControlPath=none',
		setup.host.alias,
		buildFromSource(source),
	];
	return [projectNode, forwarder, ...ssh];
}

/** Through a pipe read to its end, as a log collector would; the run fails by design (exit 1), the forwarder's make too (2). */
async function piped(argv: readonly string[], home: string, lines: number): Promise<Sample> {
	const result = await timed(argv, {rss: true, env: {WAYMARK_HOME: home}});
	if (result.stdoutBytes < lines * 20)
		throw new Error(`${argv.join(' ')}: only ${result.stdoutBytes} bytes of output (exit ${result.exitCode}):\n${result.tail}`);
	return {ms: result.ms, rssKb: result.maxRssKb ?? Number.NaN};
}

/**
 * In tmux: until the program is done with the last line (the TUI's failure prompt, or the forwarder's exit); then the
 * TUI is told to quit so /usr/bin/time can write the peak RSS. Polled every 25 ms, bounded.
 */
async function inTerminal(argv: readonly string[], home: string, lines: number, dir: string): Promise<Sample> {
	const rssFile = join(mkdtempSync(join(dir, 'tui-')), 'rss');
	const start = performance.now();
	const terminal = startTerminal({command: rssWrapper(argv, rssFile), env: {WAYMARK_HOME: home}, columns: 120, rows: 40});
	try {
		const deadline = Date.now() + Math.max(120_000, lines / 5);
		let ms: number | undefined;
		while (ms === undefined && Date.now() < deadline) {
			if ((await terminal.exitCode()) !== undefined || (await terminal.screen()).includes('What now?')) ms = performance.now() - start;
			else await sleep(25);
		}

		if (ms === undefined) throw new Error(`${argv.join(' ')}: not done in time; screen:\n${await terminal.screen()}`);
		const last = lineText.replace('%.0f', String(lines));
		if (!(await terminal.history()).includes(last)) throw new Error(`${argv.join(' ')}: the last line never showed; screen:\n${await terminal.screen()}`);
		if ((await terminal.exitCode()) === undefined) await terminal.press('q');
		await terminal.waitForExit({timeoutMs: 30_000, intervalMs: 25});
		return {ms, rssKb: readRss(rssFile) ?? Number.NaN};
	} finally {
		await terminal.close();
	}
}

export async function outputRows(labs: BenchLabs, options: {readonly big: boolean; readonly tui: boolean}): Promise<Row[]> {
	const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-lines-'));
	// Peak RSS of every sample, by variant; the time goes to interleaved.
	const rss = new Map<string, number[]>();
	const record = (name: string, sample: Sample): number => {
		rss.set(name, [...(rss.get(name) ?? []), sample.rssKb]);
		return sample.ms;
	};
	try {
		const setup: Setup = {host: labs.hosts[0]!, labs, dir};
		const home = join(dir, 'home');
		const answersFor = async (lines: number): Promise<{file: string; source: string}> => {
			const source = await linesSource(setup.host, lines, dir);
			const file = join(dir, `answers-${lines}.yml`);
			writeFileSync(file, stringify({publicIp: '192.0.2.10', apiDomain: 'node1.example.test', nssModule: 'benchlines', nssSource: source}));
			return {file, source};
		};

		const small = 200_000;
		const smallSetup = await answersFor(small);
		const samples = await interleaved<'tui' | 'tuiBase' | 'plain' | 'json' | 'pipeBase'>(
			{
				tui: !options.tui ? undefined : async () => record('tui', await inTerminal(cliArgs(setup, smallSetup.file, 'tui'), home, small, dir)),
				tuiBase: !options.tui ? undefined : async () => record('tuiBase', await inTerminal(forwardArgs(setup, smallSetup.source), home, small, dir)),
				plain: async () => record('plain', await piped(cliArgs(setup, smallSetup.file, 'plain'), home, small)),
				json: async () => record('json', await piped(cliArgs(setup, smallSetup.file, 'json'), home, small)),
				pipeBase: async () => record('pipeBase', await piped(forwardArgs(setup, smallSetup.source), home, small)),
			},
			{rounds: Math.min(defaultRounds, 3), warmUp: false},
		);

		const big = 2_000_000;
		const bigRss = new Map<Mode, number>();
		let bigProblem = options.big ? '' : '2M not run (BENCH_BIG=0)';
		if (options.big) {
			try {
				const bigSetup = await answersFor(big);
				for (const mode of options.tui ? (['plain', 'json', 'tui'] as const) : (['plain', 'json'] as const)) {
					const argv = cliArgs(setup, bigSetup.file, mode);
					const sample = mode === 'tui' ? await inTerminal(argv, home, big, dir) : await piped(argv, home, big);
					bigRss.set(mode, sample.rssKb);
				}
			} catch (error) {
				bigProblem = `2M failed: ${(error as Error).message.split('\n')[0]!.slice(0, 100)}`;
			}
		}

		const rows: Row[] = [];
		for (const mode of options.tui ? (['tui', 'plain', 'json'] as const) : (['plain', 'json'] as const)) {
			const baseName = mode === 'tui' ? 'tuiBase' : 'pipeBase';
			const mine = stats(samples[mode]);
			const theirs = stats(samples[baseName]);
			const harness = mode === 'tui' ? 'TUI in tmux' : `--${mode} into a pipe`;
			rows.push({
				goal: 'P3',
				what: `200k lines, ${harness} (nss-module step building a source whose make prints them; ${samples[mode].length} rounds)`,
				measured: spread(mine),
				baseline: `${spread(theirs)} node forwarder, same command over ssh`,
				ratio: `${(mine.median / theirs.median).toFixed(2)}×`,
				target: '≤ 2×',
				met: yesNo(mine.median / theirs.median <= 2),
			});
			const smallRss = Math.max(...(rss.get(mode) ?? [Number.NaN]));
			const bigValue = bigRss.get(mode);
			const flat = bigValue === undefined ? undefined : bigValue / smallRss;
			rows.push({
				goal: 'P3',
				what: `peak RSS, ${harness} (/usr/bin/time %M)`,
				measured: `${mib(smallRss)} at 200k${bigValue === undefined ? `; ${bigProblem}` : `, ${mib(bigValue)} at 2M`}`,
				baseline: `${mib(Math.max(...(rss.get(baseName) ?? [Number.NaN])))} node forwarder at 200k`,
				ratio: flat === undefined ? '—' : `${flat.toFixed(2)}× (2M ÷ 200k)`,
				target: '≤ 100 MiB, flat (2M ≤ 1.2× 200k)',
				met: yesNo(smallRss <= 100 * 1024 && (bigValue === undefined || (bigValue <= 100 * 1024 && (flat ?? 0) <= 1.2))),
			});
		}

		return rows;
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
