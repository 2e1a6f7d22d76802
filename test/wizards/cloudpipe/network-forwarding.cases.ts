// network-forwarding as data: the network host forwards the project's port, so forwarding is on and stays on.
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {answers, image, secrets} from './fixtures.js';

const file = '/etc/sysctl.d/90-waymark-cloudpipe.conf';

export const networkForwardingCases: CaseTable = {
	wizard: cloudpipe,
	step: 'network-forwarding',
	answers,
	secrets,
	cases: [
		{
			name: 'off: the sysctl.d file of this wizard, then the running value',
			facts: {file: null, running: '0\n'},
			expected: [`file ${file}`, 'command Turn forwarding on now'],
			after: {running: '1\n'},
		},
		{
			name: 'offline image: the file only, the value is set when the host is live',
			target: image,
			facts: {file: null, running: {unavailable: true}},
			expected: [`file ${file}`],
		},
	],
};
