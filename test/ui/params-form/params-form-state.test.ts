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
