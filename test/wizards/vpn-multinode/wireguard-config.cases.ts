// wireguard-config as data: one config per host, every other host a peer; keys kept while the hosts stay the same.
import assert from 'node:assert/strict';
import {showPlan} from '../../../source/engine/show-plan.js';
import type {Plan, TargetInfo} from '../../../source/engine/types.js';
import {wireguardPublicKey} from '../../../source/keys/wireguard.js';
import {parseWireguardKeys, wireguardSecretName} from '../../../wizards/vpn-multinode/mesh-secrets.js';
import {placeOf} from '../../../wizards/vpn-multinode/mesh-topology.js';
import {keysInConfig, meshKeys, renderWireguardConfig} from '../../../wizards/vpn-multinode/wireguard-config.js';
import type {StepCase} from '../cases.js';
import {controllerTarget, guideAnswers, hostContexts, hostnames, nodeTargets, runSecrets, writtenFile} from './fixtures.js';
import {bound, type MeshTable} from './mesh-cases.js';

const secrets = await runSecrets(guideAnswers);
const keys = parseWireguardKeys(secrets.get(wireguardSecretName)!);
const meshIps = ['10.42.42.1', '10.42.42.2', '10.42.42.3'];
const publicIps = ['192.0.2.10', '192.0.2.55', '192.0.2.66'];
const path = '/etc/wireguard/wg-mesh.conf';

/** Each host's config as an earlier run with keys of its own wrote it. */
async function earlierConfigs(answers: Record<string, unknown>, nodes?: TargetInfo[]): Promise<string[]> {
	const earlier = await runSecrets(answers);
	return hostContexts(answers, earlier, nodes).map(ctx => {
		const place = placeOf(ctx);
		return renderWireguardConfig(place, meshKeys(place, null, earlier.get(wireguardSecretName)));
	});
}

const earlier = await earlierConfigs(guideAnswers);

/** Host `index`'s new config: mode 0600 and secret, its own key never shown, every other host a peer with its public key. */
function meshConfig(index: number) {
	return (plan: Plan) => {
		const config = writtenFile(plan);
		assert.equal(config.path, path);
		assert.equal(config.mode, 0o600);
		assert.equal(config.secret, true);
		assert.match(config.after, new RegExp(`^Address = ${meshIps[index]!.replaceAll('.', '\\.')}/24$`, 'm'));
		assert.match(config.after, /^ListenPort = 7000$/m);
		const own = keys.get(hostnames[index]!)!;
		const found = keysInConfig(config.after);
		assert.equal(found.privateKey, own, "this run's key for this host");
		assert.deepEqual(
			[...found.publicKeys.keys()],
			hostnames.filter((_, other) => other !== index),
		);
		for (const [other, hostname] of hostnames.entries()) {
			if (other !== index) {
				assert.equal(found.publicKeys.get(hostname), wireguardPublicKey(keys.get(hostname)!), `${hostnames[index]} knows ${hostname}'s public key`);
				assert.ok(config.after.includes(`AllowedIPs = ${meshIps[other]}/32\nEndpoint = ${publicIps[other]}:7000`));
			}
		}

		const shown = JSON.stringify(showPlan({actions: [config], notes: []}, true));
		assert.ok(!shown.includes(own), 'the private key is never shown');
	};
}

function hostCases(index: number): StepCase[] {
	const target = index === 0 ? controllerTarget : nodeTargets[index - 1]!;
	return [
		{
			name: `${target.label}: a new config, every other host a peer`,
			target,
			facts: {config: null, link: 'down\n', unit: {text: '', exitCode: 1}},
			expected: [`file ${path}`],
			notes: [/^2 peer\(s\): /, new RegExp(`^Public key of this host: ${wireguardPublicKey(keys.get(hostnames[index]!)!).replaceAll('+', '\\+')}\\.$`)],
			also: meshConfig(index),
		},
		{
			name: `${target.label}: a later run keeps the keys while the hosts are the same`,
			target,
			facts: {config: earlier[index]!, link: 'up\n', unit: ''},
			expected: 'noop',
			notes: [/^Keys kept from the existing config \(same hosts\)\.$/],
		},
		{
			name: `${target.label}: rekey writes this run's keys and restarts the running interface through systemd`,
			target,
			answers: {rekey: true},
			facts: {config: earlier[index]!, link: 'up\n', unit: 'active\n'},
			expected: [`file ${path}`, 'command Restart wg-mesh with the new config'],
			also(plan) {
				const restart = plan.actions[1]!;
				assert.ok(restart.kind === 'command');
				assert.match(restart.script, /^systemctl restart wg-quick@wg-mesh \|\| exit \$\?\nping .*\n/);
			},
		},
	];
}

const base = {wizard: bound(), answers: guideAnswers, secrets: Object.fromEntries(secrets)};

export const wireguardConfigControllerCases: MeshTable = {
	...base,
	step: 'wireguard-config-controller',
	target: controllerTarget,
	cases: [
		...hostCases(0),
		{
			name: 'a changed config on an interface up without systemd: wg-quick down and up',
			answers: {rekey: true},
			facts: {config: earlier[0]!, link: 'up\n', unit: {text: '', exitCode: 1}},
			expected: [`file ${path}`, 'command Restart wg-mesh with the new config'],
			also(plan) {
				const restart = plan.actions[1]!;
				assert.ok(restart.kind === 'command');
				assert.match(restart.script, /^wg-quick down wg-mesh; wg-quick up wg-mesh \|\| exit \$\?\n/);
			},
		},
		{
			name: 'the PeerVPN mesh: no WireGuard config',
			answers: {mesh: 'peervpn'},
			facts: {config: null, link: 'down\n', unit: ''},
			expected: 'noop',
			notes: [/PeerVPN/],
		},
	],
};

export const wireguardConfigNodeCases: MeshTable = {...base, step: 'wireguard-config-node', cases: [...hostCases(1), ...hostCases(2)]};

// A node added later: the host list changes on every host, so each takes the new run's keys.
const africa: TargetInfo = {kind: 'ssh', label: 'ssh:africa'};
const grown = {
	...guideAnswers,
	nodeNames: [...guideAnswers.nodeNames, 'africa'],
	nodeHostnames: [...guideAnswers.nodeHostnames, 'africa.vpn.example'],
	nodePublicIps: [...guideAnswers.nodePublicIps, '192.0.2.77'],
	nodeMeshIps: [...guideAnswers.nodeMeshIps, '10.42.42.4'],
	ranges: [...guideAnswers.ranges, '10.40.0.0/24'],
	ranges6: [],
};
const grownSecrets = await runSecrets(grown);

export const wireguardConfigGrownCases: MeshTable = {
	wizard: bound({controller: [controllerTarget], node: [...nodeTargets, africa]}),
	step: 'wireguard-config-controller',
	answers: grown,
	secrets: Object.fromEntries(grownSecrets),
	target: controllerTarget,
	cases: [
		{
			name: "a node added later: the controller's config of three hosts takes the new run's keys for four",
			facts: {config: earlier[0]!, link: 'down\n', unit: ''},
			expected: [`file ${path}`],
			also(plan) {
				const now = writtenFile(plan).after;
				assert.equal(keysInConfig(now).privateKey, parseWireguardKeys(grownSecrets.get(wireguardSecretName)!).get('vpn.example'));
				assert.equal(keysInConfig(now).publicKeys.size, 3);
			},
		},
	],
};

// One node bound where nodeNames lists two: the mesh cannot be placed, and the fix is named.
export const wireguardConfigMisboundCases: MeshTable = {
	...base,
	wizard: bound({controller: [controllerTarget], node: nodeTargets.slice(0, 1)}),
	step: 'wireguard-config-controller',
	target: controllerTarget,
	cases: [
		{
			name: 'nodes bound in a different number than nodeNames',
			facts: {config: null},
			expected: {throws: /nodeNames lists 2 node\(s\).*1 target/},
			judged: {kind: 'failed', remedy: /--target node=/},
		},
	],
};
