// peervpn-service as data: peervpn@vpn enabled and started, with a unit written where the binary brought none.
import assert from 'node:assert/strict';
import {peervpnUnitText} from '../../../wizards/vpn-multinode/peervpn-service.js';
import type {CaseTable} from '../cases.js';
import {controllerTarget, peervpnAnswers, scriptOf, writtenFile} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

const binary = '/usr/local/sbin/peervpn';
const listening = 'UNCONN 0      0            0.0.0.0:7000      0.0.0.0:*\n';
const fresh = {
	systemd: 'yes\n',
	binary: `${binary}\n`,
	known: {text: '', exitCode: 1},
	unit: null,
	enabled: {text: 'disabled', exitCode: 1},
	active: {text: 'inactive', exitCode: 3},
	listening: '',
};
const running = {...fresh, known: 'yes\n', unit: peervpnUnitText(binary), enabled: 'enabled\n', active: 'active\n', listening};

export const peervpnServiceCases: CaseTable = {
	wizard: bound(),
	step: 'peervpn-service-controller',
	answers: peervpnAnswers,
	target: controllerTarget,
	cases: [
		{
			name: 'a self-built binary without a unit: the unit is written, then enabled and started',
			facts: fresh,
			expected: ['file /etc/systemd/system/peervpn@.service', 'command systemctl enable --now peervpn@vpn'],
			checks: {'peervpn-listening': 'fail'},
			after: {known: 'yes\n', enabled: 'enabled\n', active: 'active\n', listening},
			also(plan) {
				assert.match(writtenFile(plan).after, /^ExecStart=\/usr\/local\/sbin\/peervpn \/etc\/peervpn\/%i\.conf$/m);
				assert.equal(scriptOf(plan, 'systemctl enable --now peervpn@vpn'), 'systemctl daemon-reload\nsystemctl enable --now peervpn@vpn');
			},
		},
		{name: 'enabled, running and listening: nothing to do', facts: running, expected: 'noop', checks: {'peervpn-listening': 'pass'}},
		{
			name: 'a unit the package brought is used as it is',
			facts: {...fresh, known: 'yes\n'},
			expected: ['command systemctl enable --now peervpn@vpn'],
			after: {enabled: 'enabled\n', active: 'active\n', listening},
			also: plan => assert.equal(scriptOf(plan, 'systemctl enable --now peervpn@vpn'), 'systemctl enable --now peervpn@vpn'),
		},
		{
			name: 'no peervpn binary: the WireGuard mesh is offered',
			facts: {...fresh, binary: {text: '', exitCode: 1}},
			expected: {throws: /PeerVPN is not installed/},
		},
		{
			name: 'no systemd: what to start from the init system',
			facts: {...fresh, systemd: 'no\n'},
			expected: 'noop',
			notes: [/^No systemd on ssh:vpn: start `\/usr\/local\/sbin\/peervpn \/etc\/peervpn\/vpn\.conf`/],
		},
		{name: 'with the WireGuard mesh PeerVPN is not started', answers: {mesh: 'wireguard'}, facts: {listening: ''}, expected: 'noop', notes: [/WireGuard/]},
	],
};

// An offline image cannot say whether a peervpn binary is there: the unit waits for the live host, not a failure.
export const peervpnServiceOfflineCases: MeshTable = {
	wizard: bound(offlineBindings),
	step: 'peervpn-service-node',
	answers: peervpnAnswers,
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image: waits for the live host instead of saying PeerVPN is not installed',
			facts: {systemd: {unavailable: true}, binary: {unavailable: true}, known: {unavailable: true}, unit: null},
			expected: {unmet: 'deferred', reason: /^Offline target: peervpn@vpn is enabled and started when/},
			judged: {kind: 'deferred'},
		},
	],
};
