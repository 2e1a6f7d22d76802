// Field editing from raw terminal input, as a table: bursts arrive whole, Enter inside a burst submits, readline keys work.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyInput} from '../../../source/ui/components/text-editing.js';

const cases: ReadonlyArray<{
	name: string;
	value: string;
	cursor?: number;
	input: string;
	expected: string;
	cursor_?: number;
	submitted?: boolean;
	rest?: string;
}> = [
	{name: 'four backspaces in one burst delete four characters', value: '192.0.2.300', input: '\u007F\u007F\u007F\u007F', expected: '192.0.2'},
	{name: 'a paste arrives whole', value: '', input: '203.0.113.10', expected: '203.0.113.10'},
	{name: 'an Enter in the same burst submits what came before it', value: '', input: '192.0.2.10\r', expected: '192.0.2.10', submitted: true},
	{
		name: 'keys after the Enter are handed on, not typed here or dropped',
		value: '',
		input: 'local\r192.0.2.10\r\r',
		expected: 'local',
		submitted: true,
		rest: '192.0.2.10\r\r',
	},
	{name: 'Ctrl+U deletes to the start, not a "u"', value: 'wrong', input: '\u0015right', expected: 'right'},
	{name: 'Ctrl+W deletes the word before the cursor', value: 'a b hello', input: '\u0017', expected: 'a b '},
	{name: 'Home and End move the cursor', value: 'abc', input: '\u001B[HX\u001B[FY', expected: 'XabcY'},
	{name: '← then typing inserts in the middle', value: 'ac', input: '\u001B[Db', expected: 'abc'},
	{name: 'Ctrl+A, Ctrl+K keep nothing', value: 'abc', input: '\u0001\u000B', expected: ''},
	{name: 'a stray escape or tab is never part of a value', value: 'a', input: '\u001B\tb', expected: 'ab'},
	{name: 'forward delete removes the character under the cursor', value: 'abc', cursor: 1, input: '\u001B[3~', expected: 'ac'},
];

for (const each of cases) {
	test(`text editing: ${each.name}`, () => {
		const {state, submitted, rest} = applyInput({value: each.value, cursor: each.cursor ?? each.value.length}, each.input);
		assert.equal(state.value, each.expected);
		assert.equal(submitted, each.submitted ?? false);
		assert.equal(rest, each.rest ?? '');
	});
}
