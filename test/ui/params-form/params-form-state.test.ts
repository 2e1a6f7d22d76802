// The form's reducer: a number field says at once that "5x" is no number; other fields wait for ⏎ or submit.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialParamsFormState, isDirty, paramsFormReducer} from '../../../source/ui/params-form/use-params-form-state.js';
import {nodeGuide} from '../fixtures.js';

test('a port field shows its error while typing, and clears it once the value is a number', () => {
	const start = initialParamsFormState(nodeGuide);
	const bad = paramsFormReducer(start, {type: 'change', id: 'ssh_port', value: '22x'});
	assert.match(bad.errors['ssh_port'] ?? '', /ssh_port/);
	const good = paramsFormReducer(bad, {type: 'change', id: 'ssh_port', value: '2222'});
	assert.equal(good.errors['ssh_port'], undefined);
});

test('a text field is not judged while typing', () => {
	const start = initialParamsFormState(nodeGuide);
	const typing = paramsFormReducer(start, {type: 'change', id: 'node_ip', value: '192.0.'});
	assert.equal(typing.errors['node_ip'], undefined);
});

test('dirty means something differs from what the form opened with', () => {
	const start = initialParamsFormState(nodeGuide);
	assert.equal(isDirty(start), false);
	const changed = paramsFormReducer(start, {type: 'change', id: 'node_ip', value: '1'});
	assert.equal(isDirty(changed), true);
	assert.equal(isDirty(paramsFormReducer(changed, {type: 'change', id: 'node_ip', value: ''})), false);
});

// Keys typed ahead while the screen was busy arrive as one burst; each applies to the field that has the focus by then.
const bursts: ReadonlyArray<{name: string; after: string; raw: string; focus: string; values?: Record<string, unknown>; sent?: boolean}> = [
	{
		name: 'a target and its Enter, then three Enters: four fields on',
		after: 'start',
		raw: 'ssh:node1\r192.0.2.10\r\r\r',
		focus: 'quota',
		values: {'target:server': 'ssh:node1', node_ip: '192.0.2.10'},
	},
	{name: 'space and Enter on a yes-or-no field: toggled, then on', after: 'quota', raw: ' \r', focus: 'api_key', values: {quota: false}},
	{name: 'y on a yes-or-no field, and an arrow key in the burst is no text', after: 'quota', raw: 'n\u001B[Cy', focus: 'quota', values: {quota: true}},
	{
		name: 'an Enter the field refuses keeps the focus, and what follows edits that field',
		after: 'start',
		raw: '\rlocal\r',
		focus: 'node_ip',
		values: {'target:server': 'local'},
	},
	{
		name: 'a bad value in the middle: the focus stays at that field',
		after: 'start',
		raw: 'local\r10.0.0.300\r\r',
		focus: 'node_ip',
		values: {node_ip: '10.0.0.300'},
	},
];

for (const each of bursts) {
	test(`a burst: ${each.name}`, () => {
		let state = initialParamsFormState(nodeGuide);
		if (each.after === 'quota') {
			state = {...state, focus: state.fields.findIndex(field => field.id === 'quota')};
		}

		const next = paramsFormReducer(state, {type: 'keys', raw: each.raw});
		assert.equal(next.fields[next.focus]?.id, each.focus);
		for (const [id, value] of Object.entries(each.values ?? {})) {
			assert.equal(next.values[id], value, id);
		}

		assert.equal(next.request !== undefined, each.sent ?? false);
		// The same keys one at a time end in the same state.
		let oneByOne = state;
		for (const key of each.raw.match(/\u001B\[.|[\s\S]/g) ?? []) {
			oneByOne = paramsFormReducer(oneByOne, {type: 'keys', raw: key});
		}

		assert.deepEqual(oneByOne, next);
	});
}

test('a burst that ends on the last field sends the form once, and nothing after the send is applied', () => {
	const state = initialParamsFormState(nodeGuide);
	const next = paramsFormReducer(state, {type: 'keys', raw: 'local\r192.0.2.10\r\r\r\rsecret\r\r\r'});
	assert.notEqual(next.request, undefined);
	assert.equal(next.values['api_key'], 'secret');
});
