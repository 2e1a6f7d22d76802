// client-service as data: openvpn-client@NAME, enabled for the next boot and started after forwarding and NAT.
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, secrets} from './fixtures.js';

export const clientServiceCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'client-service',
	answers,
	secrets,
	cases: [
		{
			name: 'systemd, unit disabled: openvpn-client@mistio enabled and started',
			facts: {systemd: 'yes\n', enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n', daemon: 'stopped\n'},
			expected: ['command systemctl enable openvpn-client@mistio.service and start it'],
			checks: {'client-service-running': 'fail'},
			after: {enabled: 'enabled\n', active: 'active\n'},
		},
		{
			name: 'no systemd, the daemon running: nothing to do',
			facts: {systemd: 'no\n', enabled: absent, active: '', daemon: 'running\n'},
			expected: 'noop',
			checks: {'client-service-running': 'pass'},
		},
	],
};
