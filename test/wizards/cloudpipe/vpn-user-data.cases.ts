// vpn-user-data as data: a live VPN gets the seed and runs the payload; an offline image gets the seed only.
import {cloudpipe, userData} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {answers, ctx, image, secrets, userDataPath} from './fixtures.js';

const run = 'command Run the payload (decode, unzip, autorun.sh)';

export const vpnUserDataCases: CaseTable = {
	wizard: cloudpipe,
	step: 'vpn-user-data',
	answers,
	secrets,
	cases: [
		{
			name: 'no seed, VPN stopped: the seed written and the payload run',
			facts: {seed: null, crl: null, certificate: null, running: 'stopped\n'},
			expected: [`file ${userDataPath}`, run],
			checks: {'cloudpipe-running': 'fail'},
			after: {running: 'running\n'},
		},
		{
			name: 'the current seed and the VPN running: nothing to do',
			facts: {seed: userData(ctx), crl: null, certificate: null, running: 'running\n'},
			expected: 'noop',
			checks: {'cloudpipe-running': 'pass'},
		},
		{
			name: 'the current seed, the VPN stopped: the payload runs again',
			facts: {seed: userData(ctx), crl: null, certificate: null, running: 'stopped\n'},
			expected: [run],
			after: {running: 'running\n'},
		},
		{
			name: 'offline image: the seed only, the boot unit runs it',
			target: image,
			facts: {seed: null, crl: null, certificate: null, running: {unavailable: true}},
			expected: [`file ${userDataPath}`],
		},
	],
};
