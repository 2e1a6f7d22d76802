import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {CheckReport} from '../../../source/engine/channel.js';
import {CheckReportView} from '../../../source/ui/check-report/check-report.js';
import {checkReportReducer, initialCheckReportState} from '../../../source/ui/check-report/use-check-report-state.js';
import {brokenReport, cleanReport, nodeGuide} from '../fixtures.js';
import {waitFor, waitUntil} from '../wait-for.js';
import {certRow, down, elevatorRow, escapeKey, markSshdThenScheduler, node1, node2, sshdRow, up} from './report-keys.js';

afterEach(() => {
	cleanup();
});

function renderReport(report: CheckReport) {
	const fixes: Array<readonly string[]> = [];
	const moves: string[] = [];
	const view = render(
		<CheckReportView
			report={report}
			wizard={nodeGuide}
			onFix={only => fixes.push(only)}
			onRecheck={() => moves.push('recheck')}
			onBack={() => moves.push('back')}
			onQuit={() => moves.push('quit')}
		/>,
	);
	return {...view, fixes, moves};
}

test('per host its platform and departures from the guide, then what fails or warns; the selected finding says why and which step fixes it', async () => {
	const {lastFrame} = renderReport(brokenReport);
	const frame = await waitFor(lastFrame, 'q quit');
	assert.equal(
		frame,
		[
			'uWSGI.it node · check of ssh:node1, ssh:node2',
			'',
			...node1,
			`❯ ${elevatorRow}`,
			'    why: The guide sets elevator=deadline on the kernel command line.',
			'    fix: step "I/O scheduler" (elevator)',
			`  ${certRow}`,
			`  ${sshdRow}`,
			'',
			node2,
			'  nothing fails or warns',
			'',
			'2 pass, 1 warn, 2 fail, 1 n/a',
			'',
			'↑↓ move  space mark  ⏎ fix selected  a show passes  r check again  esc back  q quit',
		].join('\n'),
	);
});

test('↓ skips the pass and expands the next finding; a shows passes and n/a, and ↑ then reaches the pass', async () => {
	const {lastFrame, stdin} = renderReport(brokenReport);
	await waitFor(lastFrame, 'q quit');
	stdin.write(down);
	const warn = await waitFor(lastFrame, `❯ ${certRow}`);
	assert.equal(
		warn.split('\n').slice(4, 9).join('\n'),
		[`  ${elevatorRow}`, `❯ ${certRow}`, '    why: Clients refuse an expired certificate.', '    fix: step "Packages" (packages)', `  ${sshdRow}`].join('\n'),
	);

	stdin.write('a');
	await waitFor(lastFrame, 'a hide passes');
	stdin.write(up);
	const all = await waitFor(lastFrame, '❯   [pass] Packages');
	assert.equal(
		all,
		[
			'uWSGI.it node · check of ssh:node1, ssh:node2',
			'',
			...node1,
			`  ${elevatorRow}`,
			'❯   [pass] Packages: uwsgi and quota installed',
			'    why: Nothing would change.',
			`  ${certRow}`,
			`  ${sshdRow}`,
			'',
			node2,
			'    [n/a] I/O scheduler: container (lxc)',
			'    [pass] Harden sshd: as wanted',
			'',
			'2 pass, 1 warn, 2 fail, 1 n/a',
			'',
			'↑↓ move  space mark  a hide passes  r check again  esc back  q quit',
		].join('\n'),
	);

	// Hiding passes again moves the selection off the pass to the next finding shown.
	stdin.write('a');
	await waitFor(lastFrame, `❯ ${certRow}`);
});

test('space marks two findings; ⏎ asks for their steps once each, in wizard order', async () => {
	const view = renderReport(brokenReport);
	const {lastFrame, stdin, fixes} = view;
	await waitFor(lastFrame, 'q quit');
	await markSshdThenScheduler(view);
	const frame = await waitFor(lastFrame, 'fix marked (2)');
	assert.equal(
		frame.split('\n').slice(4, 9).join('\n'),
		[
			'❯ ◉ [fail] I/O scheduler: would change: create /etc/udev/rules.d/60-scheduler.rules',
			'    why: The guide sets elevator=deadline on the kernel command line.',
			'    fix: step "I/O scheduler" (elevator)',
			`  ${certRow}`,
			'  ◉ [fail] Password logins: PasswordAuthentication yes in sshd_config.d/60-cloud.conf',
		].join('\n'),
	);
	assert.equal(frame.split('\n').at(-1), '↑↓ move  space mark  ⏎ fix marked (2)  a show passes  r check again  esc back  q quit');
	stdin.write('\r');
	await waitUntil(() => fixes.length === 1);
	assert.deepEqual(fixes, [['elevator', 'sshd']]);
});

test('r, esc and q reach their callbacks', async () => {
	const {lastFrame, stdin, moves} = renderReport(brokenReport);
	await waitFor(lastFrame, 'q quit');
	stdin.write('r');
	await waitUntil(() => moves.length === 1);
	stdin.write(escapeKey);
	await waitUntil(() => moves.length === 2);
	stdin.write('q');
	await waitUntil(() => moves.length === 3);
	assert.deepEqual(moves, ['recheck', 'back', 'quit']);
});

test('when nothing fails or warns it says so and offers no fix', async () => {
	const {lastFrame, stdin, fixes} = renderReport(cleanReport);
	const frame = await waitFor(lastFrame, 'q quit');
	assert.equal(
		frame,
		[
			'uWSGI.it node · check of ssh:node2',
			'',
			node2,
			'',
			'✓ Nothing fails or warns: there is nothing to fix.',
			'1 pass, 0 warn, 0 fail, 1 n/a',
			'',
			'a show passes  r check again  esc back  q quit',
		].join('\n'),
	);
	stdin.write('\r');
	stdin.write('a');
	await waitFor(lastFrame, '❯   [n/a] I/O scheduler: container (lxc)');
	assert.deepEqual(fixes, []);
});

test('pure: findings no step fixes cannot be marked; moving stops at the ends', () => {
	let state = initialCheckReportState(brokenReport);
	assert.equal(state.selected, 0);
	state = checkReportReducer(state, {type: 'move', by: -1});
	assert.equal(state.selected, 0);
	state = checkReportReducer(checkReportReducer(state, {type: 'toggle-passes'}), {type: 'move', by: 1});
	assert.equal(state.selected, 1);
	assert.deepEqual(checkReportReducer(state, {type: 'toggle-mark'}).marked, []);
	for (let move = 0; move < 9; move++) {
		state = checkReportReducer(state, {type: 'move', by: 1});
	}

	assert.equal(state.selected, 5);
});
