// The file action every step builds its writes with.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fileChange} from '../../../wizards/common/plan-helpers.js';

test('a secret file with the right text but a loose mode is written again, which forces its mode', () => {
	assert.equal(fileChange('/k', 'same', 'same', {secret: true, mode: 0o600}, 0o600), undefined);
	assert.equal(fileChange('/k', 'same', 'same', {secret: true, mode: 0o600}, 0o644)?.kind, 'file');
	assert.equal(fileChange('/c', 'same', 'same', {mode: 0o644}, 0o600), undefined, 'only secrets are held to their mode');
});
