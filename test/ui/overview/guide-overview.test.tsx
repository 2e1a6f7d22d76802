import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {GuideOverview} from '../../../source/ui/overview/guide-overview.js';
import {nodeGuide} from '../fixtures.js';
import {waitFor, waitUntil} from '../wait-for.js';

/** The fixture guide's three steps as the overview draws them. */
const stepRows = [
	'1. I/O scheduler [server] [reboot]',
	'   The guide sets elevator=deadline on the kernel command line.',
	'2. Packages [server]',
	'   Installs uwsgi and quota tools.',
	'3. Harden sshd [server] [lockout]',
	'   Keys only, no root password login.',
];

afterEach(() => {
	cleanup();
});

test('lists each step with its role, its risk and what it does; ⏎ continues, esc goes back', async () => {
	const moves: string[] = [];
	const {lastFrame, stdin} = render(<GuideOverview wizard={nodeGuide} onContinue={() => moves.push('continue')} onBack={() => moves.push('back')} />);
	const frame = await waitFor(lastFrame, 'continue');
	assert.equal(
		frame,
		[
			'uWSGI.it node (uwsgi-node)',
			'Turns a Debian host into a uWSGI.it hosting node.',
			'Roles: server · 3 steps · 5 parameters',
			'',
			...stepRows,
			'',
			'⏎ continue  esc back',
		].join('\n'),
	);
	stdin.write('\r');
	await waitUntil(() => moves.length === 1);
	stdin.write('\u001B');
	await waitUntil(() => moves.length === 2);
	assert.deepEqual(moves, ['continue', 'back']);
});

test("the guide's instructions no step carries out follow the steps, each with its reason", async () => {
	const guide = {
		...nodeGuide,
		notDoneHere: [{instruction: 'nova-manage vpn run <project_id>', reason: 'nova-network is gone; launch the instance with your cloud.'}],
	};
	const {lastFrame} = render(<GuideOverview wizard={guide} onContinue={() => {}} onBack={() => {}} />);
	const frame = await waitFor(lastFrame, 'continue');
	assert.equal(
		frame,
		[
			'uWSGI.it node (uwsgi-node)',
			'Turns a Debian host into a uWSGI.it hosting node.',
			'Roles: server · 3 steps · 5 parameters · 1 not done here',
			'',
			...stepRows,
			'–. nova-manage vpn run <project_id> [not done here]',
			'   nova-network is gone; launch the instance with your cloud.',
			'',
			'⏎ continue  esc back',
		].join('\n'),
	);
});
