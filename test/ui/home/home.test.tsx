import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {RunSummary, WizardSummary} from '../../../source/engine/channel.js';
import {Home} from '../../../source/ui/home/home.js';
import {nodeGuide, savedRuns, vpnGuide} from '../fixtures.js';
import {waitFor, waitUntil} from '../wait-for.js';

afterEach(() => {
	cleanup();
});

const down = '\u001B[B';

function renderHome(runs: readonly RunSummary[] = savedRuns) {
	const opened: WizardSummary[] = [];
	const resumed: RunSummary[] = [];
	let quits = 0;
	const view = render(
		<Home
			wizards={[nodeGuide, vpnGuide]}
			runs={runs}
			onOpenGuide={wizard => opened.push(wizard)}
			onResume={run => resumed.push(run)}
			onQuit={() => {
				quits++;
			}}
		/>,
	);
	return {...view, opened, resumed, quits: () => quits};
}

test('lists the guides with roles and step counts, and the runs that can be resumed', async () => {
	const {lastFrame} = renderHome();
	const frame = await waitFor(lastFrame, 'Resume');
	assert.equal(
		frame,
		[
			'Waymark · server-setup guides',
			'',
			'Guides',
			'❯ uwsgi-node  uWSGI.it node  server            3 steps',
			'  peervpn     PeerVPN mesh   node, controller  1 step',
			'',
			'Resume',
			'  r7  uwsgi-node  ssh:node1  interrupted at Harden sshd (2/3)  2025-05-01 10:00',
			'',
			'↑↓ choose  ⏎ open  tab saved runs  q quit',
		].join('\n'),
	);
});

test('without unfinished runs there is no Resume section', async () => {
	const {lastFrame} = renderHome(savedRuns.filter(run => run.status === 'done'));
	const frame = await waitFor(lastFrame, 'quit');
	assert.equal(
		frame,
		[
			'Waymark · server-setup guides',
			'',
			'Guides',
			'❯ uwsgi-node  uWSGI.it node  server            3 steps',
			'  peervpn     PeerVPN mesh   node, controller  1 step',
			'',
			'↑↓ choose  ⏎ open  q quit',
		].join('\n'),
	);
});

test('↓ ⏎ opens the second guide', async () => {
	const {lastFrame, stdin, opened} = renderHome();
	await waitFor(lastFrame, 'Guides');
	stdin.write(down);
	await waitFor(lastFrame, '❯ peervpn');
	stdin.write('\r');
	await waitUntil(() => opened.length > 0);
	assert.deepEqual(
		opened.map(wizard => wizard.id),
		['peervpn'],
	);
});

test('q quits', async () => {
	const {lastFrame, stdin, quits} = renderHome();
	await waitFor(lastFrame, 'Guides');
	stdin.write('q');
	await waitUntil(() => quits() === 1);
});
