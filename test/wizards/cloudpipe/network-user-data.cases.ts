// network-user-data as data: the payload is a secret file (it holds the server key), written once.
import assert from 'node:assert/strict';
import {cloudpipe, userData} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {answers, ctx, secrets, userDataPath} from './fixtures.js';

export const networkUserDataCases: CaseTable = {
	wizard: cloudpipe,
	step: 'network-user-data',
	answers,
	secrets,
	cases: [
		{
			name: 'not there: written 0600 as a secret, and where the client profiles are said',
			facts: {[userDataPath]: null},
			expected: [`file ${userDataPath}`],
			notes: [/Client profiles \(\.ovpn, private to each user\) are in \/tmp\/waymark-test-vault\/.*\/clients/],
			also: plan => {
				const [file] = plan.actions;
				assert.ok(file?.kind === 'file' && file.secret === true && file.mode === 0o600);
			},
		},
		{name: 'the same payload there: nothing to do', facts: {[userDataPath]: userData(ctx)}, expected: 'noop'},
	],
};
