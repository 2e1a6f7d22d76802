// server-service as data: the distribution's openvpn-server@ unit where systemd runs, a daemon otherwise.
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, scriptOf, secrets} from './fixtures.js';

const unit = 'openvpn-server@mistio.service';

export const serverServiceCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-service',
	answers,
	secrets,
	cases: [
		{
			name: 'systemd, unit disabled and stopped: enabled and started without blocking',
			facts: {systemd: 'yes\n', enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n', daemon: 'stopped\n'},
			expected: [`command systemctl enable ${unit} and start it`],
			checks: {'server-service-running': 'fail'},
			also: plan =>
				assert.match(
					scriptOf(plan, `systemctl enable ${unit} and start it`),
					/systemctl enable openvpn-server@mistio\.service\nsystemctl start --no-block openvpn-server@mistio\.service/,
				),
			after: {enabled: 'enabled\n', active: 'active\n'},
		},
		{
			name: 'systemd, enabled and active: nothing to do',
			facts: {systemd: 'yes\n', enabled: 'enabled\n', active: 'active\n', daemon: 'stopped\n'},
			expected: 'noop',
			checks: {'server-service-running': 'pass'},
		},
		{
			name: 'no systemd: openvpn runs as a daemon from the same directory and config',
			facts: {systemd: 'no\n', enabled: absent, active: '', daemon: 'stopped\n'},
			expected: ['command Start openvpn as a daemon (no systemd on this host)'],
			notes: [/No systemd on ssh:node1/],
			also: plan =>
				assert.match(
					scriptOf(plan, 'Start openvpn as a daemon (no systemd on this host)'),
					/openvpn --daemon openvpn-server-mistio --cd \/etc\/openvpn\/server --config mistio\.conf/,
				),
			after: {daemon: 'running\n'},
		},
	],
};
