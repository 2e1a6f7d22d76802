// openvpn-after-mesh as data: every openvpn-server@ instance wants and waits for the mesh unit, under systemd only.
import assert from 'node:assert/strict';
import {openvpnDropIn} from '../../../wizards/vpn-multinode/openvpn-after-mesh.js';
import {readTopology} from '../../../wizards/vpn-multinode/mesh-topology.js';
import {resolveAnswers} from '../../../source/engine/params.js';
import {vpnMultinode} from '../../../wizards/vpn-multinode/index.js';
import {guideAnswers, nodeTargets, writtenFile} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

const path = '/etc/systemd/system/openvpn-server@.service.d/waymark-mesh.conf';
const wireguardDropIn = openvpnDropIn(readTopology(resolveAnswers(vpnMultinode, guideAnswers).answers));

export const openvpnAfterMeshCases: MeshTable = {
	wizard: bound(),
	step: 'openvpn-after-mesh',
	answers: guideAnswers,
	target: nodeTargets[0]!,
	cases: [
		{
			name: 'the WireGuard mesh: after wg-quick@, and systemd told',
			facts: {systemd: 'yes\n', dropin: null},
			expected: [`file ${path}`, 'command systemctl daemon-reload'],
			also: plan => assert.match(writtenFile(plan).after, /^Wants=wg-quick@wg-mesh\.service\nAfter=wg-quick@wg-mesh\.service$/m),
		},
		{name: 'the drop-in in place: nothing to do', facts: {systemd: 'yes\n', dropin: wireguardDropIn}, expected: 'noop'},
		{
			name: 'the PeerVPN mesh: after peervpn@vpn',
			answers: {mesh: 'peervpn'},
			facts: {systemd: 'yes\n', dropin: wireguardDropIn},
			expected: [`file ${path}`, 'command systemctl daemon-reload'],
			also: plan => assert.match(writtenFile(plan).after, /^After=peervpn@vpn\.service$/m),
		},
		{
			name: 'no systemd: nothing to order, and the step says so',
			facts: {systemd: 'no\n', dropin: null},
			expected: 'noop',
			also: plan => assert.match(plan.notes[0]!, /^No systemd on ssh:europe: .*\(wg-quick@wg-mesh\.service\)/),
		},
	],
};

// An offline image cannot say whether systemd will run it; the drop-in is a file, so it is written for its first boot.
export const openvpnAfterMeshOfflineCases: MeshTable = {
	wizard: bound(offlineBindings),
	step: 'openvpn-after-mesh',
	answers: guideAnswers,
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image: the drop-in written for its first boot, nothing to reload',
			facts: {systemd: {unavailable: true}, dropin: null},
			expected: [`file ${path}`],
			notes: [/^Offline image: the drop-in is written for the systemd that boots it/],
			also: plan => assert.match(writtenFile(plan).after, /^After=wg-quick@wg-mesh\.service$/m),
		},
		{name: 'an offline image with the drop-in: nothing to do', facts: {systemd: {unavailable: true}, dropin: wireguardDropIn}, expected: 'noop'},
	],
};
