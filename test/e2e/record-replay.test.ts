// Record and replay: an interactive TUI run on one fresh host, answered in the form and approved step by step, saves
// its answers with --save-answers; that file, replayed with --yes on a second fresh host, reaches the same /etc.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLabNetwork, type LabNetwork} from '../lab/lab-host.js';
import {labSkipReason, terminalSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {etcDifferences, etcTree} from './guide-matrix.js';
import {installStandIns, labSource} from './lab-sources.js';
import {startTerminal, type Terminal} from './terminal.js';

const skip = (await labSkipReason()) ?? (await terminalSkipReason());
const base = mkdtempSync(join(tmpdir(), 'waymark-replay-'));

function focused(screen: string): string {
	return /^❯ (\S+)/m.exec(screen)?.[1] ?? '';
}

/** Moves the focus down to the field and types its value. Bounded. */
async function fill(terminal: Terminal, field: string, value: string): Promise<void> {
	for (let index = 0; index < 60 && focused(await terminal.screen()) !== field; index++) {
		const before = focused(await terminal.screen());
		await terminal.press('Down');
		await terminal.waitFor(screen => focused(screen) !== before, {timeoutMs: 5000});
	}

	assert.equal(focused(await terminal.screen()), field);
	await terminal.press('C-u');
	await terminal.type(value);
	await terminal.waitFor(screen => screen.includes(value), {timeoutMs: 5000});
}

describe('record and replay', {skip}, () => {
	let network: LabNetwork;

	before(async () => {
		network = await createLabNetwork(2, {prefix: 'replay', image: 'trixie'});
		await Promise.all(network.hosts.map(async host => installStandIns(host)));
	});

	after(async () => {
		await network?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('answers typed in the TUI and saved, replayed with --yes on a twin host, give the same /etc', async () => {
		const [first, second] = network.hosts;
		const saved = join(base, 'recorded.yaml');
		const terminal = startTerminal({
			command: cliCommand('run', 'uwsgi-node', '--target', `ssh:${first!.alias}`, '--ssh-config', network.sshConfig, '--save-answers', saved),
			cwd: repoRoot,
			env: {WAYMARK_HOME: join(base, 'home-first')},
			columns: 160,
			rows: 50,
		});
		try {
			await terminal.waitFor('targets and parameters', {timeoutMs: 30_000});
			await fill(terminal, 'nssSource', labSource('nss-unbit'));
			await fill(terminal, 'pamSource', labSource('pam-unbit'));
			await fill(terminal, 'uwsgiItSource', labSource('uwsgi.it'));
			await fill(terminal, 'publicIp', '192.0.2.80');
			await fill(terminal, 'apiDomain', 'replay.example.test');
			// ⏎ to the end of the form, then approve each step as it asks; bounded in count and time.
			for (let index = 0; index < 200 && (await terminal.exitCode()) === undefined; index++) {
				const screen = await terminal.screen();
				if (/Done: /.test(screen)) {
					await terminal.press('q');
					break;
				}

				await terminal.press(/Apply this plan/.test(screen) ? 'y' : 'Enter');
				await terminal.waitFor(next => next !== screen, {timeoutMs: 120_000});
			}

			const exit = await terminal.waitForExit({timeoutMs: 60_000});
			assert.equal(exit.exitCode, 0, await terminal.screen());
		} finally {
			await terminal.close();
		}

		const recorded = readFileSync(saved, 'utf8');
		assert.match(recorded, /^publicIp: "192\.0\.2\.80"$/m);
		const replay = await waymark(
			['run', 'uwsgi-node', '--target', `ssh:${second!.alias}`, '--ssh-config', network.sshConfig, '--answers', saved, '--yes', '--json'],
			{
				WAYMARK_HOME: join(base, 'home-second'),
			},
		);
		const end = jsonEvents(String(replay.stdout)).at(-1) as {status?: string};
		assert.equal(end.status, 'done', String(replay.stderr) + String(replay.stdout).slice(-2000));
		const problems = etcDifferences(await etcTree(first!), await etcTree(second!), [/^\/etc\/uwsgi\/ssl\//]);
		assert.deepEqual(problems, []);
	});
});
