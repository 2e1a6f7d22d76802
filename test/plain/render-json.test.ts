import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EngineEvent} from '../../source/engine/types.js';
import {renderJson} from '../../source/plain/render-json.js';
import {FakeChannel} from '../ui/fake-channel.js';
import {capture} from './streams.js';

test('one JSON object per event with ANSI stripped; the last is run-end; prompts are answered abort', async () => {
	const out = capture();
	const channel = new FakeChannel();
	const done = renderJson(channel, out.stream);
	const events: EngineEvent[] = [
		{type: 'step-start', stepId: 'sshd', target: 'local', title: 'Harden sshd', why: ''},
		{type: 'output', stepId: 'sshd', target: 'local', lines: ['\u001B[31mred\u001B[39m']},
		{type: 'prompt', promptId: 'p1', kind: 'confirm', stepId: 'sshd', target: 'local', choices: ['apply', 'abort']},
		{type: 'run-end', runId: 'r1', status: 'failed', counts: {ok: 0, changed: 0, failed: 1, skipped: 0, deferred: 0}, notDone: []},
	];
	channel.emit(...events);
	assert.equal(await done, 'failed');
	assert.equal(
		out.text(),
		[
			'{"type":"step-start","stepId":"sshd","target":"local","title":"Harden sshd","why":""}',
			'{"type":"output","stepId":"sshd","target":"local","lines":["red"]}',
			'{"type":"prompt","promptId":"p1","kind":"confirm","stepId":"sshd","target":"local","choices":["apply","abort"]}',
			'{"type":"run-end","runId":"r1","status":"failed","counts":{"ok":0,"changed":0,"failed":1,"skipped":0,"deferred":0},"notDone":[]}',
			'',
		].join('\n'),
	);
	assert.deepEqual(channel.decisions, [{promptId: 'p1', choice: 'abort'}]);
	assert.equal(channel.listenerCount, 0);
});
