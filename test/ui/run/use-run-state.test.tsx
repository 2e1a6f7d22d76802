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
