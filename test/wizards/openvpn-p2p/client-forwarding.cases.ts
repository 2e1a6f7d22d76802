// client-forwarding as data: forwarding in sysctl.d (the guide's echo into /proc is lost at boot) and set now.
import assert from 'node:assert/strict';
import {header} from '../../../wizards/common/plan-helpers.js';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, fileAt, scriptOf, secrets} from './fixtures.js';

const file = '/etc/sysctl.d/90-waymark-openvpn-p2p.conf';

export const clientForwardingCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'client-forwarding',
	answers,
	secrets,
	cases: [
		{
			name: 'off and not configured: the sysctl.d file, then the running value set from it',
			facts: {file: null, running: '0\n'},
			expected: [`file ${file}`, 'command Turn forwarding on now'],
			also: plan => {
				assert.match(fileAt(plan, file).after, /^net\.ipv4\.ip_forward = 1$/m);
				assert.equal(scriptOf(plan, 'Turn forwarding on now'), `sysctl -q -p ${file}`);
			},
			after: {running: '1\n'},
		},
		{
			name: 'on and in sysctl.d: nothing to do',
			facts: {file: `${header('openvpn-p2p', 'client-forwarding')}\nnet.ipv4.ip_forward = 1\n`, running: '1\n'},
			expected: 'noop',
		},
	],
};
