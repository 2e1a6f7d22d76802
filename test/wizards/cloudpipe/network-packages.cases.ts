// network-packages as data: a minimal network host gets iptables for the port forward, once.
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {answers, secrets} from './fixtures.js';

const minbase = 'ii \tbash\t\nii \tiproute2\t\n';

export const networkPackagesCases: CaseTable = {
	wizard: cloudpipe,
	step: 'network-packages',
	answers,
	secrets,
	cases: [
		{
			name: 'a minimal host: iptables installed',
			facts: {apt: '/usr/bin/apt-get\n', installed: minbase},
			expected: ['command apt-get install iptables'],
			after: {installed: `${minbase}ii \tiptables\t\n`},
		},
		{name: 'iptables there: nothing to do', facts: {apt: '/usr/bin/apt-get\n', installed: `${minbase}ii \tiptables\t\n`}, expected: 'noop'},
	],
};
