// peervpn-config as data: the guide's vpn.conf on every host, one psk for all, initpeers to the controller on nodes.
import assert from 'node:assert/strict';
import type {Plan} from '../../../source/engine/types.js';
import {pskSecretName} from '../../../wizards/vpn-multinode/mesh-secrets.js';
import {placeOf} from '../../../wizards/vpn-multinode/mesh-topology.js';
import {renderPeervpnConfig} from '../../../wizards/vpn-multinode/peervpn-config.js';
import type {StepCase} from '../cases.js';
import {controllerTarget, hostContexts, nodeTargets, peervpnAnswers, runSecrets, writtenFile} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

const secrets = await runSecrets(peervpnAnswers);
const psk = secrets.get(pskSecretName)!;
// An earlier run's vpn.conf on each host: its own psk, for the same three hosts.
const earlier = await runSecrets(peervpnAnswers);
const earlierConfigs = hostContexts(peervpnAnswers, earlier).map(ctx => renderPeervpnConfig(placeOf(ctx), earlier.get(pskSecretName)!));
const binary = '/usr/sbin/peervpn\n';

/** The file written for host `index` (0 the controller): mode 0600, secret, this run's psk, its own address. */
function guideConfig(index: number) {
	return (plan: Plan) => {
		const config = writtenFile(plan);
		assert.equal(config.path, '/etc/peervpn/vpn.conf');
		assert.equal(config.mode, 0o600);
		assert.equal(config.secret, true);
		assert.match(config.after, /^networkname VPN$/m);
		assert.ok(config.after.includes(`\npsk ${psk}\n`));
		assert.match(config.after, new RegExp(`^ifconfig4 10\\.42\\.42\\.${index + 1}/24$`, 'm'));
		assert.match(config.after, /^port 7000$/m);
		assert.equal(/^initpeers 192\.0\.2\.10 7000$/m.test(config.after), index > 0, 'nodes start from the controller');
	};
}

function hostCases(index: number): StepCase[] {
	const target = index === 0 ? controllerTarget : nodeTargets[index - 1]!;
	return [
		{
			name: `${target.label}: a new vpn.conf with this run's psk`,
			target,
			facts: {config: null, binary},
			expected: ['file /etc/peervpn/vpn.conf'],
			notes: [/The psk made for this run is written/],
			also: guideConfig(index),
		},
		{
			name: `${target.label}: a later run keeps the psk already there (same hosts)`,
			target,
			facts: {config: earlierConfigs[index]!, binary},
			expected: 'noop',
			notes: [/The psk already on this host is kept/],
		},
	];
}

const base = {wizard: bound(), answers: peervpnAnswers, secrets: Object.fromEntries(secrets)};

export const peervpnConfigControllerCases: MeshTable = {
	...base,
	step: 'peervpn-config-controller',
	target: controllerTarget,
	cases: [
		...hostCases(0),
		{
			name: 'no peervpn binary: said, and the WireGuard mesh offered',
			facts: {config: null, binary: {text: '', exitCode: 1}},
			expected: {throws: /PeerVPN is not installed on ssh:vpn/},
			judged: {kind: 'failed', message: /PeerVPN is not installed/, remedy: /mesh: wireguard/},
		},
		{
			name: 'with the WireGuard mesh no vpn.conf is written, binary or not',
			answers: {mesh: 'wireguard'},
			facts: {config: null, binary: {text: '', exitCode: 1}},
			expected: 'noop',
			also: plan => assert.match(plan.notes[0]!, /WireGuard/),
		},
	],
};

export const peervpnConfigNodeCases: MeshTable = {...base, step: 'peervpn-config-node', cases: [...hostCases(1), ...hostCases(2)]};

// An offline image cannot be asked for a binary: the config is written into it all the same.
export const peervpnConfigOfflineCases: MeshTable = {
	...base,
	wizard: bound(offlineBindings),
	step: 'peervpn-config-node',
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image: vpn.conf written without asking for the binary',
			facts: {config: null, binary: {unavailable: true}},
			expected: ['file /etc/peervpn/vpn.conf'],
			also: guideConfig(2),
		},
	],
};
