// wireguard-up as data: wg-quick@ enabled and started under systemd, wg-quick up elsewhere; up means address and port.
import assert from 'node:assert/strict';
import {summary} from '../step-harness.js';
import {controllerTarget, guideAnswers} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

/** A start script followed by one ping to each of the controller's peers, as wireguard-up writes it. */
function greeted(start: string): string {
	return [`${start} || exit $?`, 'ping -n -q -c 1 -W 1 10.42.42.2 >/dev/null 2>&1', 'ping -n -q -c 1 -W 1 10.42.42.3 >/dev/null 2>&1', 'true'].join('\n');
}

const base = {
	systemd: 'yes\n',
	tools: '/usr/bin/wg-quick\n/usr/bin/wg\n',
	support: 'userspace\n',
	address: {text: '', exitCode: 1},
	enabled: {text: 'disabled', exitCode: 1},
	active: {text: 'inactive', exitCode: 3},
	port: {text: '', exitCode: 1},
};
const addressed = {address: '5: wg-mesh    inet 10.42.42.1/24 scope global wg-mesh\\       valid_lft forever preferred_lft forever\n', port: '7000\n'};
const active = {...base, enabled: 'enabled\n', active: 'active\n'};
// The oneshot unit stays active after its interface is gone (deleted, wireguard-go killed).
const gone = {...active, address: {text: 'Device "wg-mesh" does not exist.\n', exitCode: 1}, port: {text: '', exitCode: 1}};

export const wireguardUpCases: MeshTable = {
	wizard: bound(),
	step: 'wireguard-up-controller',
	answers: guideAnswers,
	target: controllerTarget,
	cases: [
		{
			name: 'under systemd: a stray interface removed first, then the unit enabled and started, greeting each peer',
			facts: base,
			expected: ['command systemctl enable --now wg-quick@wg-mesh'],
			notes: [/wireguard-go/],
			after: {...addressed, enabled: 'enabled\n', active: 'active\n'},
			also: plan =>
				assert.deepEqual(summary(plan), [
					['command systemctl enable --now wg-quick@wg-mesh', greeted('ip link del dev wg-mesh 2>/dev/null; systemctl enable --now wg-quick@wg-mesh')],
				]),
		},
		{
			name: 'enabled, active and up: nothing to do, both checks pass',
			facts: {...active, ...addressed},
			expected: 'noop',
			checks: {'wireguard-address': 'pass', 'wireguard-listening': 'pass'},
			judged: {kind: 'ok', message: /wg-quick@wg-mesh is enabled and running/},
		},
		{
			name: 'an active unit whose interface is gone is restarted, not ok',
			facts: gone,
			expected: ['command systemctl restart wg-quick@wg-mesh (active, but wg-mesh is not up)'],
			checks: {'wireguard-address': 'fail', 'wireguard-listening': 'fail'},
			after: addressed,
			judged: {kind: 'todo'},
			also: plan =>
				assert.deepEqual(summary(plan), [
					['command systemctl restart wg-quick@wg-mesh (active, but wg-mesh is not up)', greeted('systemctl restart wg-quick@wg-mesh')],
				]),
		},
		{
			name: 'up but not enabled at boot: only the enable',
			facts: {...active, ...addressed, enabled: {text: 'disabled', exitCode: 1}},
			expected: ['command systemctl enable wg-quick@wg-mesh'],
			after: {enabled: 'enabled\n'},
			also: plan => assert.deepEqual(summary(plan), [['command systemctl enable wg-quick@wg-mesh', 'systemctl enable wg-quick@wg-mesh']]),
		},
		{
			name: 'listening without its address (a half-made interface) is not up',
			facts: {...active, port: '7000\n', address: ''},
			expected: ['command systemctl restart wg-quick@wg-mesh (active, but wg-mesh is not up)'],
			checks: {'wireguard-address': 'fail', 'wireguard-listening': 'pass'},
			after: addressed,
		},
		{
			name: 'without systemd: brought up with wg-quick, and starting it at boot left to the init system',
			facts: {...base, systemd: 'no\n'},
			expected: ['command wg-quick up wg-mesh'],
			after: addressed,
			also(plan) {
				assert.deepEqual(summary(plan), [['command wg-quick up wg-mesh', greeted('ip link del dev wg-mesh 2>/dev/null; wg-quick up wg-mesh')]]);
				assert.match(plan.notes[0]!, /No systemd.*at boot/);
			},
		},
		{name: 'without systemd and up: nothing to do', facts: {...base, systemd: 'no\n', ...addressed}, expected: 'noop', notes: [/^wg-mesh is up\.$/]},
		{
			name: 'without systemd, half made (listen port 0): made again',
			facts: {...base, systemd: 'no\n', ...addressed, port: '0\n'},
			expected: ['command wg-quick up wg-mesh'],
			after: {port: '7000\n'},
		},
		{
			name: 'the kernel module: no word of wireguard-go',
			facts: {...active, ...addressed, support: 'kernel\n'},
			expected: 'noop',
			also: plan => assert.deepEqual(plan.notes, ['wg-quick@wg-mesh is enabled and running.']),
		},
		{
			name: 'neither the kernel module nor wireguard-go: what to install',
			facts: {...base, support: ''},
			expected: {throws: /neither the WireGuard kernel module nor wireguard-go/},
			judged: {kind: 'failed', remedy: /wireguard-go/},
		},
		{
			name: 'no wg-quick: wireguard-tools named',
			facts: {...base, tools: {text: '', exitCode: 1}},
			expected: {throws: /wg-quick is not installed on ssh:vpn/},
			judged: {kind: 'failed', remedy: /apt-get install wireguard-tools/},
		},
		{
			name: 'the PeerVPN mesh: nothing to bring up',
			answers: {mesh: 'peervpn'},
			facts: {},
			expected: 'noop',
			notes: [/PeerVPN/],
		},
	],
};

export const wireguardUpOfflineCases: MeshTable = {
	wizard: bound(offlineBindings),
	step: 'wireguard-up-node',
	answers: guideAnswers,
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image: the interface waits for the live host',
			facts: {systemd: {unavailable: true}, tools: {unavailable: true}, support: {unavailable: true}},
			expected: {unmet: 'deferred', reason: /^Offline target: the interface is brought up when/},
		},
	],
};
