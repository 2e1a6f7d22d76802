// The render throttle under the run screen: few, bounded, ordered batches.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EngineEvent} from '../../../source/engine/types.js';
import {type RunInput, startEventPump} from '../../../source/ui/run/event-pump.js';
import {FakeChannel} from '../fake-channel.js';
import {runUpToSshd} from '../fixtures.js';
import {waitUntil} from '../wait-for.js';

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

test('output of parallel steps keeps the order it came in, and a step’s consecutive output is one batch', async () => {
	const channel = new FakeChannel();
	const batches: Array<readonly RunInput[]> = [];
	const stop = startEventPump(channel, batch => batches.push(batch), {flushMs: 10});
	const from = (target: string, text: string): EngineEvent => ({type: 'output', stepId: 'sshd', target, lines: [text]});
	channel.emit(from('ssh:a', 'a1'), from('ssh:a', 'a2'), from('ssh:b', 'b1'), from('ssh:a', 'a3'));
	await waitUntil(() => batches.length > 0);
	stop();
	assert.deepEqual(
		batches[0]!.map(input => (input.type === 'output-batch' ? `${input.target}: ${input.lines.join(' ')}` : input.type)),
		['ssh:a: a1 a2', 'ssh:b: b1', 'ssh:a: a3'],
	);
});
