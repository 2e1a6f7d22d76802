// A run that emits before its screen mounts loses nothing.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {withReplay} from '../../../source/ui/run/replay-channel.js';
import {FakeChannel} from '../fake-channel.js';
import {runUpToSshd} from '../fixtures.js';

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
