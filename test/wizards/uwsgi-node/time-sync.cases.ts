// time-sync as data: an NTP client counts only when it runs; a container's clock is not its own.
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import type {CaseTable} from '../cases.js';

const host = {kernel: '6.12.0-1-amd64\n', container: 'none\n', systemd: 'yes\n'};
const chrony = 'ii \tchrony\ttime-daemon\n';

export const timeSyncCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'time-sync',
	answers: {publicIp: '192.0.2.10', apiDomain: 'node1.example.test'},
	cases: [
		{
			name: 'a running client is enough, whichever it is',
			facts: {...host, installed: 'ii \tsystemd-timesyncd\ttime-daemon\n', running: 'systemd-timesyn\n'},
			expected: 'noop',
			checks: {'ntp-running': 'pass'},
		},
		{
			name: 'none installed: the chosen one is installed and started',
			facts: {...host, installed: '', running: ''},
			expected: ['command apt-get install chrony', 'command Start chrony now and at boot'],
			checks: {'ntp-running': 'fail'},
			after: {installed: chrony, running: 'chronyd\n'},
		},
		{
			name: 'installed but not running (nothing started it): started, never counted as done',
			facts: {...host, installed: chrony, running: ''},
			expected: ['command Start chrony now and at boot'],
			notes: [/chrony installed, but no NTP daemon runs/],
			after: {running: 'chronyd\n'},
		},
		{
			name: 'another installed client is started rather than a second one installed',
			answers: {ntpClient: 'chrony'},
			facts: {...host, installed: 'ii \tntpsec\ttime-daemon\n', running: ''},
			expected: ['command Start ntpsec now and at boot'],
			after: {running: 'ntpd\n'},
		},
		{
			name: "in a container the clock is the host machine's",
			facts: {...host, container: 'systemd-nspawn\n', installed: '', running: ''},
			expected: {unmet: 'skipped', reason: /container/},
		},
		{name: 'ntpClient none leaves the clock alone', answers: {ntpClient: 'none'}, facts: {...host, installed: '', running: ''}, expected: 'noop'},
	],
};
