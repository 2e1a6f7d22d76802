// ip-forwarding as data: a sysctl.d file of the wizard's own, then the running value.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {summary} from '../step-harness.js';
import {sharedSteps} from './shared-steps.js';

const file = 'file /etc/sysctl.d/90-waymark-shared-steps.conf';
const now = 'command Turn forwarding on now';
const content =
	'# Written by Waymark (shared-steps, step forwarding). Edit the answers and run the wizard again rather than this file.\nnet.ipv4.ip_forward = 1\n';

export const ipForwardingCases: CaseTable = {
	wizard: sharedSteps,
	step: 'forwarding',
	answers: {},
	cases: [
		{
			name: 'off and not set: the file, then the running value from it',
			facts: {file: null, running: '0\n'},
			expected: [file, now],
			after: {running: '1\n'},
			also: plan => {
				assert.deepEqual(summary(plan), [
					[file, content],
					[now, 'sysctl -q -p /etc/sysctl.d/90-waymark-shared-steps.conf'],
				]);
			},
		},
		{name: 'on, but only until the next boot: the file alone', facts: {file: null, running: '1\n'}, expected: [file]},
		{name: 'set and on: nothing', facts: {file: content, running: '1\n'}, expected: 'noop', notes: [/Forwarding is on and set in sysctl\.d/]},
		{name: 'set, but turned off since: set again now', facts: {file: content, running: '0\n'}, expected: [now], after: {running: '1\n'}},
		{
			name: 'an offline image: the file is written, the running value waits for the live host',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {file: content, running: {unavailable: true}},
			expected: 'noop',
			notes: [/the running value is set when the host is live/],
		},
	],
};
