// The pure parts under the run screen: batching, the reducer's bounds, line cleaning, replay.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EngineEvent} from '../../source/engine/types.js';
import {cleanLine} from '../../source/ui/clean-line.js';
import {type RunInput, startEventPump} from '../../source/ui/event-pump.js';
import {withReplay} from '../../source/ui/replay-channel.js';
import {initialRunState, outputKeep, runReducer} from '../../source/ui/use-run-state.js';
import {FakeChannel} from './fake-channel.js';
import {runUpToSshd} from './fixtures.js';
import {waitUntil} from './wait-for.js';

const line = (index: number): EngineEvent => ({type: 'output', stepId: 'sshd', target: 'ssh:node1', lines: [`line ${index}`]});

test('100k output events become one batch holding only the last lines, after the events before them', async () => {
	const channel = new FakeChannel();
	const batches: Array<readonly RunInput[]> = [];
	const stop = startEventPump(channel, batch => batches.push(batch), {flushMs: 20, keep: 200});
	channel.emit(runUpToSshd()[6]!);
	for (let index = 1; index <= 100_000; index++) {
		channel.emit(line(index));
	}

	await waitUntil(() => batches.length > 0);
	stop();
	assert.equal(batches.length, 1);
	const [start, output] = batches[0]!;
	assert.equal(start?.type, 'step-start');
	assert.equal(output?.type, 'output-batch');
	if (output?.type === 'output-batch') {
		assert.equal(output.received, 100_000);
		assert.equal(output.lines.length, 200);
		assert.equal(output.lines[0], 'line 99801');
		assert.equal(output.lines.at(-1), 'line 100000');
	}
});

test('output alone waits for the timer; an event after it flushes both in order', async () => {
	const channel = new FakeChannel();
	const batches: Array<readonly RunInput[]> = [];
	const stop = startEventPump(channel, batch => batches.push(batch), {flushMs: 10_000});
	channel.emit(line(1), line(2));
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	assert.equal(batches.length, 0);
	channel.emit({type: 'step-end', stepId: 'sshd', target: 'ssh:node1', status: 'ok', message: ''});
	await waitUntil(() => batches.length > 0);
	stop();
	assert.deepEqual(
		batches[0]!.map(input => input.type),
		['output-batch', 'step-end'],
	);
	assert.equal(channel.listenerCount, 0);
});

test('the run state keeps at most a few hundred output lines', () => {
	let state = runReducer(initialRunState, {type: 'receive', inputs: runUpToSshd().filter((event): event is Exclude<EngineEvent, {type: 'output'}> => event.type !== 'output')});
	for (let batch = 0; batch < 50; batch++) {
		const lines = Array.from({length: 100}, (_, index) => `line ${batch * 100 + index + 1}`);
		state = runReducer(state, {type: 'receive', inputs: [{type: 'output-batch', stepId: 'sshd', target: 'ssh:node1', lines, received: lines.length}]});
	}

	assert.equal(state.output.lines.length, outputKeep);
	assert.equal(state.output.lines.at(-1), 'line 5000');
	assert.equal(state.output.received, 5000);
});

test('cleanLine strips colors and keeps what a terminal shows after a carriage return', () => {
	assert.equal(cleanLine('\u001B[1m\u001B[31merror\u001B[0m: x'), 'error: x');
	assert.equal(cleanLine(' 10%\r 50%\r100%\r'), '100%');
	assert.equal(cleanLine('a\tb\u0007'), 'a    b');
	assert.equal(cleanLine('x'.repeat(5000)).length, 1000);
});

test('withReplay hands events sent before the first subscriber to it, then passes events through', () => {
	const channel = new FakeChannel();
	const wrapped = withReplay(channel);
	channel.emit(runUpToSshd()[0]!);
	const seen: string[] = [];
	wrapped.subscribe(event => seen.push(event.type));
	channel.emit(runUpToSshd()[1]!);
	assert.deepEqual(seen, ['run-start', 'step-start']);
	wrapped.interrupt();
	wrapped.decide('p1', 'skip');
	assert.equal(channel.interrupts, 1);
	assert.deepEqual(channel.decisions, [{promptId: 'p1', choice: 'skip'}]);
	assert.equal(wrapped.transcriptPath, channel.transcriptPath);
});
