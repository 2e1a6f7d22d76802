import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {RunSummary} from '../../../source/engine/channel.js';
import {Home} from '../../../source/ui/home/home.js';
import {ResumePrompt} from '../../../source/ui/resume-prompt/resume-prompt.js';
import {nodeGuide, savedRuns, vpnGuide} from '../fixtures.js';
import {waitFor, waitUntil} from '../wait-for.js';

afterEach(() => {
	cleanup();
});

const stopped = savedRuns[0]!;

test('the resume prompt names the run, the guide, the step it stopped at and how far it got', async () => {
	const {lastFrame} = render(<ResumePrompt run={stopped} onResume={() => {}} onCancel={() => {}} />);
	const frame = await waitFor(lastFrame, 'resume?');
	assert.equal(
		frame,
		[
			'Run r7 of uwsgi-node stopped at Harden sshd (2/3) — resume?',
			'Targets: ssh:node1 · interrupted · last change 2025-05-01 10:00',
			'⏎/y resume  n back',
		].join('\n'),
	);
});

test('on the home screen: tab, ⏎ asks; n goes back; y resumes', async () => {
	const resumed: RunSummary[] = [];
	const {lastFrame, stdin} = render(
		<Home wizards={[nodeGuide, vpnGuide]} runs={savedRuns} onOpenGuide={() => {}} onResume={run => resumed.push(run)} onQuit={() => {}} />,
	);
	await waitFor(lastFrame, 'Resume');
	stdin.write('\t');
	await waitFor(lastFrame, '❯ r7');
	stdin.write('\r');
	const asking = await waitFor(lastFrame, 'resume?');
	assert.equal(
		asking,
		[
			'Waymark · server-setup guides',
			'',
			'Guides',
			'  uwsgi-node  uWSGI.it node  server            3 steps',
			'  peervpn     PeerVPN mesh   node, controller  1 step',
			'',
			'Resume',
			'❯ r7  uwsgi-node  ssh:node1  interrupted at Harden sshd (2/3)  2025-05-01 10:00',
			'',
			'Run r7 of uwsgi-node stopped at Harden sshd (2/3) — resume?',
			'Targets: ssh:node1 · interrupted · last change 2025-05-01 10:00',
			'⏎/y resume  n back',
		].join('\n'),
	);
	stdin.write('n');
	const back = await waitFor(lastFrame, 'tab guides');
	assert.equal(back.split('\n').at(-1), '↑↓ choose  ⏎ open  tab guides  q quit');
	assert.equal(resumed.length, 0);
	stdin.write('\r');
	await waitFor(lastFrame, 'resume?');
	stdin.write('y');
	await waitUntil(() => resumed.length > 0);
	assert.deepEqual(
		resumed.map(run => run.id),
		['r7'],
	);
});
