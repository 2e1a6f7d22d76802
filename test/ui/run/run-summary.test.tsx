// The last lines of a run cut off by a lost connection: what happened and the resume command, not "run it again".
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {RunSummary} from '../../../source/ui/run/run-summary.js';

afterEach(() => {
	cleanup();
});

test('a lost connection ends the summary with its story and the resume command', () => {
	const {lastFrame} = render(
		<RunSummary
			status="interrupted"
			counts={{ok: 2, changed: 1, failed: 0, skipped: 0, deferred: 0}}
			runId="uwsgi-node-20261201-120000-ab12"
			guide="uwsgi-node"
			lost={{
				message: 'The connection to ssh:node1 was lost during "Install packages": Broken pipe.',
				remedy: 'When the host answers again: waymark resume uwsgi-node-20261201-120000-ab12',
			}}
		/>,
	);
	const frame = lastFrame() ?? '';
	const lines = frame.split('\n');
	assert.equal(lines[1], 'The connection to ssh:node1 was lost during "Install packages": Broken pipe.');
	assert.equal(lines[2], 'When the host answers again: waymark resume uwsgi-node-20261201-120000-ab12');
	assert.equal(lines.length, 3, `nothing more (no "run it again"):\n${frame}`);
});
