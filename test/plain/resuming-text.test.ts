// The resume line counts what `waymark runs` counts as done: a failed step is not done, it is tried again.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resumingText} from '../../source/plain/render-plain.js';

test('a failed step is not counted as done on resume', () => {
	assert.equal(resumingText([{status: 'ok'}, {status: 'failed'}, {status: 'pending'}]), 'resuming after 1 done, 1 failed to try again');
	assert.equal(resumingText([{status: 'changed'}, {status: 'deferred'}, {status: 'skipped'}, {status: 'running'}]), 'resuming after 3 done');
});
