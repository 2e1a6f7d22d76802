// openvpn-service as data: the distribution's unit where systemd runs, a daemon with a pid file where it does not.
import type {CaseTable} from '../cases.js';
import {sharedSteps} from './shared-steps.js';

const start = 'command systemctl enable openvpn-server@office.service and start it';
const daemon = 'command Start openvpn as a daemon (no systemd on this host)';
const systemd = {systemd: 'yes\n', daemon: 'stopped\n'};
const noSystemd = {systemd: 'no\n', enabled: {text: '', exitCode: 1}, active: ''};

export const openvpnServiceCases: CaseTable = {
	wizard: sharedSteps,
	step: 'tunnel',
	answers: {},
	cases: [
		{
			name: 'enabled and active: nothing',
			facts: {...systemd, enabled: 'enabled\n', active: 'active\n'},
			expected: 'noop',
			checks: {'tunnel-running': 'pass'},
		},
		{
			name: 'reloading counts as running',
			facts: {...systemd, enabled: 'enabled\n', active: 'reloading\n'},
			expected: 'noop',
			checks: {'tunnel-running': 'pass'},
		},
		{
			name: 'a unit not yet enabled: enabled and started',
			facts: {...systemd, enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n'},
			expected: [start],
			checks: {'tunnel-running': 'fail'},
			after: {enabled: 'enabled\n', active: 'active\n'},
		},
		{name: 'enabled but failed: started again', facts: {...systemd, enabled: 'enabled\n', active: 'failed\n'}, expected: [start], after: {active: 'active\n'}},
		{
			name: 'no systemd: openvpn as a daemon, logging to a file, said not to come back after a reboot',
			facts: {...noSystemd, daemon: 'stopped\n'},
			expected: [daemon],
			notes: [/does not start again after a reboot by itself/],
			checks: {'tunnel-running': 'fail'},
			after: {daemon: 'running\n'},
		},
		{name: 'no systemd, daemon running: nothing', facts: {...noSystemd, daemon: 'running\n'}, expected: 'noop', checks: {'tunnel-running': 'pass'}},
		{
			name: 'an offline image: the unit is enabled, the check has no running system to ask',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {systemd: {unavailable: true}, enabled: {unavailable: true}, active: {unavailable: true}, daemon: {unavailable: true}},
			expected: ['command systemctl enable openvpn-server@office.service'],
			notes: [/Offline target: the unit is enabled when the wizard runs against the live host/],
			checks: {'tunnel-running': 'fail'},
		},
	],
};
