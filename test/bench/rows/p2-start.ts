// P2: how soon the waymark command answers. The home screen's first frame in a real terminal (tmux, as
// test/e2e/terminal.ts drives it) against a trivial node program in the same harness; `npm start` against npm's own
// start; --help, list and answers against `node -e 0`.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {startTerminal} from '../../e2e/terminal.js';
import {timedOk} from '../lib/process.js';
import {interleaved} from '../lib/rounds.js';
import {ms, spread, stats} from '../lib/stats.js';
import {type Row, yesNo} from '../lib/table.js';
import {projectNode, repoRoot, waymark} from '../lib/waymark.js';

const homeHint = '↑↓ choose';

/** Milliseconds from starting the program in a fresh terminal until its screen shows the home screen's key hint. */
async function firstFrame(command: readonly string[], cwd = repoRoot): Promise<number> {
	const home = mkdtempSync(join(tmpdir(), 'waymark-bench-home-'));
	const start = performance.now();
	const terminal = startTerminal({command, cwd, env: {WAYMARK_HOME: home}});
	try {
		await terminal.waitFor(homeHint, {intervalMs: 5, timeoutMs: 20_000});
		return performance.now() - start;
	} finally {
		await terminal.close();
		rmSync(home, {recursive: true, force: true});
	}
}

async function exitMs(argv: readonly string[], cwd = repoRoot): Promise<number> {
	return (await timedOk(argv, {cwd})).ms;
}

export async function startRows(): Promise<Row[]> {
	// npm's own start: an empty script in a package of its own.
	const npmDir = mkdtempSync(join(tmpdir(), 'waymark-bench-npm-'));
	writeFileSync(join(npmDir, 'package.json'), JSON.stringify({name: 'bench-empty', version: '1.0.0', private: true, scripts: {empty: ''}}));
	const trivial = [projectNode, '-e', `console.log(${JSON.stringify(homeHint)}); setTimeout(() => {}, 5000)`];
	try {
		const frames = await interleaved({
			waymark: async () => firstFrame(waymark()),
			trivial: async () => firstFrame(trivial),
			npmStart: async () => firstFrame(['npm', 'start']),
			npmEmpty: async () => exitMs(['npm', 'run', 'empty'], npmDir),
			node: async () => exitMs([projectNode, '-e', '0']),
			help: async () => exitMs(waymark('--help')),
			list: async () => exitMs(waymark('list')),
			answers: async () => exitMs(waymark('answers', 'uwsgi-node')),
		});
		const s = {
			waymark: stats(frames.waymark),
			trivial: stats(frames.trivial),
			npmStart: stats(frames.npmStart),
			npmEmpty: stats(frames.npmEmpty),
			node: stats(frames.node),
		};
		// The harness (tmux, polling the screen) and node's own start are in the trivial program's time too.
		const harness = s.trivial.median - s.node.median;
		const net = s.waymark.median - harness;
		const added = s.npmStart.median - s.waymark.median;
		const rows: Row[] = [
			{
				goal: 'P2',
				what: 'home screen first frame, `waymark` in tmux (fresh WAYMARK_HOME)',
				measured: `${spread(s.waymark)}; net of harness ${ms(net)}`,
				baseline: `${spread(s.trivial)} trivial node program, same harness`,
				ratio: `${(s.waymark.median / s.trivial.median).toFixed(2)}×`,
				target: '≤ 200 ms net (measured − (baseline − node -e 0))',
				met: yesNo(net <= 200),
			},
			{
				goal: 'P2',
				what: '`npm start` first frame, minus `waymark` first frame',
				measured: `${ms(added)} added (npm start ${spread(s.npmStart)})`,
				baseline: `${spread(s.npmEmpty)} \`npm run\` of an empty script`,
				ratio: `${(added / s.npmEmpty.median).toFixed(2)}×`,
				target: '≤ 1× (no more than npm itself)',
				met: yesNo(added <= s.npmEmpty.median),
			},
		];
		const limit = Math.max(3 * s.node.median, 100);
		for (const [name, label] of [
			['help', '--help'],
			['list', 'list'],
			['answers', 'answers uwsgi-node'],
		] as const) {
			const value = stats(frames[name]);
			rows.push({
				goal: 'P2',
				what: `\`waymark ${label}\` to exit`,
				measured: spread(value),
				baseline: `${spread(s.node)} node -e 0`,
				ratio: `${(value.median / s.node.median).toFixed(2)}×`,
				target: `≤ 3× or ≤ 100 ms (here ${ms(limit)})`,
				met: yesNo(value.median <= limit),
			});
		}

		return rows;
	} finally {
		rmSync(npmDir, {recursive: true, force: true});
	}
}
