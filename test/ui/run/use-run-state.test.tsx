// The run state's reducer, without a screen.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EngineEvent} from '../../../source/engine/types.js';
import {initialRunState, outputKeep, runReducer} from '../../../source/ui/run/use-run-state.js';
import {runUpToSshd} from '../fixtures.js';

test('the run state keeps at most a few hundred output lines', () => {
	let state = runReducer(initialRunState, {
		type: 'receive',
		inputs: runUpToSshd().filter((event): event is Exclude<EngineEvent, {type: 'output'}> => event.type !== 'output'),
	});
	for (let batch = 0; batch < 50; batch++) {
		const lines = Array.from({length: 100}, (_, index) => `line ${batch * 100 + index + 1}`);
		state = runReducer(state, {type: 'receive', inputs: [{type: 'output-batch', stepId: 'sshd', target: 'ssh:node1', lines, received: lines.length}]});
	}

	assert.equal(state.output.lines.length, outputKeep);
	assert.equal(state.output.lines.at(-1), 'line 5000');
	assert.equal(state.output.received, 5000);
});

test('a failed step retried counts once, when it finishes: the counter does not run ahead of the step', () => {
	const base = runUpToSshd().filter((event): event is Exclude<EngineEvent, {type: 'output'}> => event.type !== 'output');
	let state = runReducer(initialRunState, {type: 'receive', inputs: base});
	assert.equal(state.finished, 2, 'elevator and packages');
	const sshd = {stepId: 'sshd', target: 'ssh:node1'} as const;
	state = runReducer(state, {type: 'receive', inputs: [{type: 'step-end', ...sshd, status: 'failed', message: 'verification failed', remedy: 'fix it'}]});
	assert.equal(state.finished, 2, 'a failure is not finished');
	state = runReducer(state, {
		type: 'receive',
		inputs: [
			{type: 'step-start', ...sshd, title: 'Harden sshd', why: 'again'},
			{type: 'step-end', ...sshd, status: 'changed', message: 'done'},
		],
	});
	assert.equal(state.finished, 3);
});

test('after a resume the counter starts from the finished steps only, not a failed one', () => {
	const state = runReducer(initialRunState, {
		type: 'receive',
		inputs: [
			{
				type: 'run-start',
				runId: 'r1',
				wizard: 'uwsgi-node',
				resumed: true,
				steps: [
					{stepId: 'elevator', target: 'ssh:node1', title: 'I/O scheduler', status: 'ok'},
					{stepId: 'packages', target: 'ssh:node1', title: 'Packages', status: 'failed'},
					{stepId: 'sshd', target: 'ssh:node1', title: 'Harden sshd', status: 'pending'},
				],
			},
		],
	});
	assert.equal(state.finished, 1);
});
