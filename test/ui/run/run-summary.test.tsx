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
			check="waymark check uwsgi-node --target ssh:node1"
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

test('what a run left undone is one line each, cut to the width, above the counts and the next command at the bottom', () => {
	const {lastFrame} = render(
		<RunSummary
			status="done"
			counts={{ok: 2, changed: 4, failed: 0, skipped: 1, deferred: 1}}
			runId="uwsgi-node-20261201-120000-ab12"
			check="waymark check uwsgi-node --target root:/mnt/image"
			notDone={[
				{
					status: 'deferred',
					stepId: 'packages',
					title: 'Install packages',
					target: 'root:/mnt/image',
					message: `1 command(s) wait for the live host: apt-get install ${'package '.repeat(20)}`,
					remedy: 'Run the wizard again with the live host as its target; --only packages runs just this step.',
				},
				{status: 'skipped', stepId: 'sshd', title: 'Harden sshd', target: 'root:/mnt/image', message: 'skipped by the operator'},
			]}
		/>,
	);
	assert.deepEqual((lastFrame() ?? '').split('\n'), [
		'Not done here (2; each with what to do: waymark runs):',
		'  deferred Install packages on root:/mnt/image: 1 command(s) wait for the live host: apt-get instal…',
		'  skipped  Harden sshd on root:/mnt/image: skipped by the operator',
		'Done: 2 ok, 4 changed, 0 failed, 1 skipped, 1 deferred',
		'To see later whether anything drifted (read-only): waymark check uwsgi-node --target root:/mnt/image',
	]);
});
