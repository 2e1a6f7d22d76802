// Every wizard says which of its guide's instructions no step carries out, each short enough for one overview row and
// with a reason; none is listed twice.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {wizards} from '../../wizards/index.js';

for (const wizard of wizards) {
	test(`${wizard.id}: each instruction not done here is one short line with its reason`, () => {
		const items = wizard.notDoneHere ?? [];
		assert.ok(items.length > 0, `${wizard.id} lists what it does not do`);
		for (const {instruction, reason} of items) {
			assert.ok(instruction.length > 0 && instruction.length <= 90 && !instruction.includes('\n'), instruction);
			assert.ok(reason.length >= 40 && !reason.includes('\n'), `${instruction}: ${reason}`);
			assert.match(reason, /[.)]$/, `a reason is a sentence: ${reason}`);
		}

		assert.equal(new Set(items.map(item => item.instruction)).size, items.length, 'no instruction twice');
	});
}
