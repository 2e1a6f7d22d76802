import assert from 'node:assert/strict';
import {test} from 'node:test';
import {scrollWindow} from '../../../source/ui/components/scroll-window.js';

test('scroll window: everything when it fits', () => {
	assert.deepEqual(scrollWindow([1, 1, 1], 0, 10), {start: 0, end: 3});
});

test('scroll window: the focus is always in view, and the window moves only when it has to', () => {
	const heights = Array.from({length: 20}, () => 1);
	const first = scrollWindow(heights, 0, 5);
	assert.deepEqual(first, {start: 0, end: 5});
	assert.deepEqual(scrollWindow(heights, 4, 5, first), {start: 0, end: 5}, 'still in view: no move');
	const down = scrollWindow(heights, 5, 5, first);
	assert.deepEqual(down, {start: 1, end: 6});
	assert.deepEqual(scrollWindow(heights, 19, 5, down), {start: 15, end: 20});
	assert.deepEqual(scrollWindow(heights, 2, 5, {start: 15, end: 20}), {start: 2, end: 7});
});

test('scroll window: a tall focused item (help and error lines) still fits', () => {
	assert.deepEqual(scrollWindow([1, 1, 1, 4, 1], 3, 5), {start: 2, end: 4});
	assert.deepEqual(scrollWindow([1, 9], 1, 5), {start: 1, end: 2}, 'taller than the screen: shown alone');
});
