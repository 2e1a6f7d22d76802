import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cleanLine} from '../../source/wording/clean-line.js';

test('cleanLine strips colors and keeps what a terminal shows after a carriage return', () => {
	assert.equal(cleanLine('\u001B[1m\u001B[31merror\u001B[0m: x'), 'error: x');
	assert.equal(cleanLine(' 10%\r 50%\r100%\r'), '100%');
	assert.equal(cleanLine('a\tb\u0007'), 'a    b');
	assert.equal(cleanLine('x'.repeat(5000)).length, 1000);
});
