// server-capabilities as data: mist.io gets its capabilities from a unit, and setcap's leftovers are removed;
// setcapOverride does the guide's setcap instead.
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, fileAt, scriptOf, secrets} from './fixtures.js';

const unit = '/etc/systemd/system/mistio.service';
const bin = '/home/mist/mist.io/bin';
const leftOver = {bin: '', unit: null, getcap: `${bin}/python cap_net_admin,cap_net_raw=eip\n${bin}/uwsgi \n`, enabled: 'disabled\n', running: 'inactive\n'};
// CapEff of a process with CAP_NET_ADMIN (bit 12) and CAP_NET_RAW (bit 13), and one without.
const granted = '4242 0000000000003000\n';

export const serverCapabilitiesCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-capabilities',
	answers,
	secrets,
	cases: [
		{
			name: "the unit with ambient capabilities, python's file capabilities removed through its symlink, the unit enabled",
			facts: leftOver,
			expected: [
				`file ${unit}`,
				`command Remove file capabilities from ${bin}/python`,
				'command Enable the mist.io unit (systemd)',
				'command Start mist.io under the unit (restart it if it ran before the change)',
			],
			checks: {'mistio-capabilities': 'fail'},
			also: plan => {
				assert.match(fileAt(plan, unit).after, /^AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW$/m);
				assert.equal(scriptOf(plan, `Remove file capabilities from ${bin}/python`), `setcap -r "$(readlink -f ${bin}/python)"`);
			},
			after: {getcap: `${bin}/python \n${bin}/uwsgi \n`, enabled: 'enabled\n', running: granted},
		},
		{
			name: 'running with both capabilities: the check reads them from the process (a new unit still restarts it)',
			facts: {...leftOver, getcap: `${bin}/python \n`, enabled: 'enabled\n', running: granted},
			expected: [`file ${unit}`, 'command Enable the mist.io unit (systemd)', 'command Start mist.io under the unit (restart it if it ran before the change)'],
			checks: {'mistio-capabilities': 'pass'},
		},
		{
			name: 'running but without them (started by hand, outside the unit): the check fails with the CapEff it saw',
			facts: {...leftOver, getcap: `${bin}/python \n`, enabled: 'enabled\n', running: '4242 0000000000000000\n'},
			expected: [`file ${unit}`, 'command Enable the mist.io unit (systemd)', 'command Start mist.io under the unit (restart it if it ran before the change)'],
			checks: {'mistio-capabilities': 'fail'},
			also: (_plan, checks) => {
				assert.equal(checks.find(check => check.id === 'mistio-capabilities')?.evidence, 'pid 4242 CapEff 0000000000000000');
			},
		},
		{
			name: "setcapOverride: the guide's setcap on each binary that lacks it, and nothing else",
			answers: {setcapOverride: true},
			facts: leftOver,
			expected: [`command setcap cap_net_admin,cap_net_raw=eip ${bin}/uwsgi (the guide, by override)`],
			notes: [/every local user/],
			after: {getcap: `${bin}/python cap_net_admin,cap_net_raw=eip\n${bin}/uwsgi cap_net_admin,cap_net_raw=eip\n`},
		},
		{
			name: 'setcapOverride where an older libcap (Debian 10, Ubuntu 20.04) prints `= cap_net_admin,cap_net_raw+eip`: granted already, nothing to do',
			answers: {setcapOverride: true},
			facts: {...leftOver, getcap: `${bin}/python cap_net_admin,cap_net_raw+eip\n${bin}/uwsgi cap_net_admin,cap_net_raw+eip\n`},
			expected: 'noop',
		},
		{name: 'no mist.io checked out: nothing to grant', facts: {bin: null}, expected: 'noop', notes: [/no bin\/ folder/]},
		{
			name: 'no systemd: the unit is written for later, nothing enabled',
			facts: {...leftOver, getcap: `${bin}/python \n`, enabled: 'no-systemd\n'},
			expected: [`file ${unit}`],
		},
	],
};
