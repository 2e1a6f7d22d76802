// vpn-multinode as data: topologies in, errors out; answers and facts in, configs per host out; keys well formed.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {parse} from 'yaml';
import {judge} from '../../source/engine/converge.js';
import {StepFailure} from '../../source/engine/errors.js';
import {resolveAnswers} from '../../source/engine/params.js';
import {showPlan} from '../../source/engine/show-plan.js';
import type {FileAction, Plan, StepContext} from '../../source/engine/types.js';
import {isWireguardKey, wireguardPublicKey} from '../../source/keys/wireguard.js';
import {vpnMultinode} from '../../wizards/vpn-multinode/index.js';
import {parseWireguardKeys, pskSecretName, wireguardSecretName} from '../../wizards/vpn-multinode/mesh-secrets.js';
import {keysInConfig, withGreeting} from '../../wizards/vpn-multinode/wireguard-config.js';
import {facts, step, summary, type FactValues} from './step-harness.js';
import {guideAnswers, hostContexts, nodeTargets, runSecrets} from './vpn-multinode-fixtures.js';

const peervpnAnswers = {...guideAnswers, mesh: 'peervpn'};

function roleOf(ctx: StepContext): string {
	return ctx.bindings['controller']?.[0]?.label === ctx.target.label ? 'controller' : 'node';
}

function planOn(base: string, ctx: StepContext, values: FactValues): Plan {
	return step(vpnMultinode, `${base}-${roleOf(ctx)}`).plan(ctx, facts(values));
}

function written(plan: Plan): FileAction {
	const file = plan.actions.find((action): action is FileAction => action.kind === 'file');
	assert.ok(file, 'the plan writes a file');
	return file;
}

// Each row: answers changed from the guide's topology, and the fields whose errors name the problem.
const topologies: Array<[string, Record<string, unknown>, string[]]> = [
	["the guide's topology, managementIp on the mesh", {}, []],
	[
		'one node is enough',
		{
			nodeNames: ['europe'],
			nodeHostnames: ['europe.vpn.example'],
			nodePublicIps: ['192.0.2.55'],
			nodeMeshIps: ['10.42.42.2'],
			ranges: ['10.0.0.0/24'],
			ranges6: [],
		},
		[],
	],
	['explicit managementIps and profileNumbers', {managementIps: ['10.42.42.2', '10.42.42.3'], profileNumbers: ['1', '7']}, []],
	['overlapping ranges', {ranges: ['10.0.0.0/16', '10.0.1.0/24']}, ['ranges']],
	['overlapping range6', {ranges6: ['fd00:4242::/32', 'fd00:4242:4243::/48']}, ['ranges6']],
	['a range inside the mesh', {ranges: ['10.42.42.0/25', '10.20.30.0/24']}, ['ranges']],
	['duplicate profile numbers', {profileNumbers: ['1', '1']}, ['profileNumbers']],
	['duplicate mesh addresses', {nodeMeshIps: ['10.42.42.2', '10.42.42.2']}, ['nodeMeshIps']],
	["a node on the controller's mesh address", {nodeMeshIps: ['10.42.42.1', '10.42.42.3']}, ['nodeMeshIps']],
	['duplicate public addresses', {nodePublicIps: ['192.0.2.55', '192.0.2.55']}, ['nodePublicIps']],
	['duplicate hostnames', {nodeHostnames: ['europe.vpn.example', 'europe.vpn.example']}, ['nodeHostnames']],
	['duplicate profile ids', {nodeNames: ['europe', 'europe']}, ['nodeNames']],
	["the guide's managementIp outside the mesh", {managementIps: ['10.10.10.2', '10.10.10.3']}, ['managementIps']],
	['a managementIp of another node', {managementIps: ['10.42.42.3', '10.42.42.2']}, ['managementIps']],
	['a mesh address outside the mesh', {nodeMeshIps: ['10.42.43.2', '10.42.42.3']}, ['nodeMeshIps']],
	["the mesh's broadcast address", {nodeMeshIps: ['10.42.42.255', '10.42.42.3']}, ['nodeMeshIps']],
	['a CIDR with a prefix past 32', {ranges: ['10.0.0.0/33', '10.20.30.0/24']}, ['ranges']],
	['a range that is not a network address', {ranges: ['10.0.0.7/24', '10.20.30.0/24']}, ['ranges']],
	['an IPv6 range in ranges', {ranges: ['fd00::/48', '10.20.30.0/24']}, ['ranges']],
	['a bad mesh network', {meshNetwork: '10.42.42.0/40'}, ['meshNetwork']],
	['a mesh network that is not a network address', {meshNetwork: '10.42.42.1/24'}, ['meshNetwork']],
	['lists of different lengths', {nodePublicIps: ['192.0.2.55']}, ['nodePublicIps']],
	['a profile id with capitals', {nodeNames: ['Europe', 'asia']}, ['nodeNames']],
	['a bad interface name', {wireguardInterface: 'a-very-long-interface-name'}, ['wireguardInterface']],
	['a DNS server that is not an address', {dns: ['dns.example']}, ['dns']],
];

for (const [name, change, fields] of topologies) {
	test(`topology: ${name} → ${fields.length === 0 ? 'valid' : fields.join(', ')}`, () => {
		const {errors, missing} = resolveAnswers(vpnMultinode, {...guideAnswers, ...change});
		assert.deepEqual(missing, []);
		assert.deepEqual([...new Set(errors.map(error => error.field))], fields, JSON.stringify(errors));
		for (const error of errors) {
			assert.ok(error.message.startsWith(`${error.field}: `), `the message names the field: ${error.message}`);
		}
	});
}

test('secrets: the psk is 32 characters of [A-Za-z0-9]; one WireGuard key pair per host; fingerprints reveal neither', async () => {
	const secrets = await runSecrets(guideAnswers);
	const psk = secrets.get(pskSecretName)!;
	assert.match(psk, /^[A-Za-z\d]{32}$/);
	const keys = parseWireguardKeys(secrets.get(wireguardSecretName)!);
	assert.deepEqual([...keys.keys()], ['vpn.example', 'europe.vpn.example', 'asia.vpn.example']);
	assert.ok([...keys.values()].every(key => isWireguardKey(key)));
	assert.equal(new Set(keys.values()).size, 3);
	for (const spec of vpnMultinode.secrets!) {
		const shown = spec.fingerprint(secrets.get(spec.name)!);
		assert.ok(!shown.includes(psk) && [...keys.values()].every(key => !shown.includes(key)), shown);
	}
});

test('secrets: a public key derived by Waymark equals what `wg pubkey` prints', async t => {
	const found = await execa('wg', ['--version'], {reject: false});
	if (found.exitCode !== 0) {
		if (process.env['CI'] === 'true') {
			assert.fail('wg (wireguard-tools) is required in CI');
		}

		t.skip('wg (wireguard-tools) is not installed');
		return;
	}

	const secrets = await runSecrets(guideAnswers);
	for (const privateKey of parseWireguardKeys(secrets.get(wireguardSecretName)!).values()) {
		const printed = await execa('wg', ['pubkey'], {input: privateKey});
		assert.equal(wireguardPublicKey(privateKey), printed.stdout.trim());
	}
});

test('WireGuard: one config per host, mode 0600 and secret, every other host a peer with its public key', async () => {
	const secrets = await runSecrets(guideAnswers);
	const contexts = hostContexts(guideAnswers, secrets);
	const configs = contexts.map(ctx => written(planOn('wireguard-config', ctx, {config: null, link: 'down', unit: {text: '', exitCode: 1}})));
	const own = configs.map(config => keysInConfig(config.after).privateKey!);
	const hostnames = ['vpn.example', 'europe.vpn.example', 'asia.vpn.example'];
	const meshIps = ['10.42.42.1', '10.42.42.2', '10.42.42.3'];
	const publicIps = ['192.0.2.10', '192.0.2.55', '192.0.2.66'];
	for (const [index, config] of configs.entries()) {
		assert.equal(config.path, '/etc/wireguard/wg-mesh.conf');
		assert.equal(config.mode, 0o600);
		assert.equal(config.secret, true);
		assert.match(config.after, new RegExp(`^Address = ${meshIps[index]!.replaceAll('.', '\\.')}/24$`, 'm'));
		assert.match(config.after, /^ListenPort = 7000$/m);
		const {publicKeys} = keysInConfig(config.after);
		assert.deepEqual(
			[...publicKeys.keys()],
			hostnames.filter((_, other) => other !== index),
		);
		for (const [other, hostname] of hostnames.entries()) {
			if (other !== index) {
				assert.equal(publicKeys.get(hostname), wireguardPublicKey(own[other]!), `${hostnames[index]} knows ${hostname}'s public key`);
				assert.ok(config.after.includes(`AllowedIPs = ${meshIps[other]}/32\nEndpoint = ${publicIps[other]}:7000`));
			}
		}

		const shown = JSON.stringify(showPlan({actions: [config], notes: []}, true));
		assert.ok(!shown.includes(own[index]!), 'the private key is never shown');
	}
});

test('WireGuard: converges, and a later run with new secrets keeps the keys while the hosts are the same', async () => {
	const first = await runSecrets(guideAnswers);
	const later = await runSecrets(guideAnswers);
	for (const ctx of hostContexts(guideAnswers, first)) {
		const config = written(planOn('wireguard-config', ctx, {config: null, link: 'down', unit: ''}));
		const again = hostContexts(guideAnswers, later).find(each => each.target.label === ctx.target.label)!;
		assert.deepEqual(planOn('wireguard-config', ctx, {config: config.after, link: 'up', unit: ''}).actions, []);
		assert.deepEqual(planOn('wireguard-config', again, {config: config.after, link: 'up', unit: ''}).actions, [], 'kept');
		const rekeyed = hostContexts({...guideAnswers, rekey: true}, later).find(each => each.target.label === ctx.target.label)!;
		const restart = summary(planOn('wireguard-config', rekeyed, {config: config.after, link: 'up', unit: 'active'}));
		assert.deepEqual(
			restart.map(([what]) => what),
			['file /etc/wireguard/wg-mesh.conf', 'command Restart wg-mesh with the new config'],
		);
		assert.match(restart[1]![1], /^systemctl restart wg-quick@wg-mesh \|\| exit \$\?\nping .*\n/);
	}
});

test("WireGuard: a node added later changes the host list, so every host takes the new run's keys", async () => {
	const first = await runSecrets(guideAnswers);
	const [controller] = hostContexts(guideAnswers, first);
	const old = written(planOn('wireguard-config', controller!, {config: null, link: 'down', unit: ''})).after;
	const grown = {
		...guideAnswers,
		nodeNames: [...guideAnswers.nodeNames, 'africa'],
		nodeHostnames: [...guideAnswers.nodeHostnames, 'africa.vpn.example'],
		nodePublicIps: [...guideAnswers.nodePublicIps, '192.0.2.77'],
		nodeMeshIps: [...guideAnswers.nodeMeshIps, '10.42.42.4'],
		ranges: [...guideAnswers.ranges, '10.40.0.0/24'],
		ranges6: [],
	};
	const later = await runSecrets(grown);
	const [grownController] = hostContexts(grown, later, [...nodeTargets, {kind: 'ssh', label: 'ssh:africa'}]);
	const now = written(planOn('wireguard-config', grownController!, {config: old, link: 'down', unit: ''})).after;
	assert.equal(keysInConfig(now).privateKey, parseWireguardKeys(later.get(wireguardSecretName)!).get('vpn.example'));
	assert.equal(keysInConfig(now).publicKeys.size, 3);
});

test('WireGuard: nodes bound in a different number than nodeNames is a clear failure', async () => {
	const secrets = await runSecrets(guideAnswers);
	const [controller] = hostContexts(guideAnswers, secrets, nodeTargets.slice(0, 1));
	assert.ok(step(vpnMultinode, 'mesh-firewall-controller').facts(controller!).length > 0, 'reading facts does not throw');
	assert.throws(
		() => planOn('wireguard-config', controller!, {config: null}),
		(error: unknown) => error instanceof StepFailure && /nodeNames lists 2 node\(s\).*1 target/.test(error.message) && /--target node=/.test(error.remedy),
	);
});

test("PeerVPN: the guide's vpn.conf on every host, one psk, initpeers to the controller on nodes only, mode 0600", async () => {
	const secrets = await runSecrets(peervpnAnswers);
	const psk = secrets.get(pskSecretName)!;
	const configs = hostContexts(peervpnAnswers, secrets).map(ctx => written(planOn('peervpn-config', ctx, {config: null, binary: '/usr/sbin/peervpn'})));
	for (const [index, config] of configs.entries()) {
		assert.equal(config.path, '/etc/peervpn/vpn.conf');
		assert.equal(config.mode, 0o600);
		assert.equal(config.secret, true);
		assert.match(config.after, /^networkname VPN$/m);
		assert.ok(config.after.includes(`\npsk ${psk}\n`));
		assert.match(config.after, new RegExp(`^ifconfig4 10\\.42\\.42\\.${index + 1}/24$`, 'm'));
		assert.match(config.after, /^port 7000$/m);
		assert.equal(/^initpeers 192\.0\.2\.10 7000$/m.test(config.after), index > 0, 'nodes start from the controller');
	}

	const [controller] = hostContexts(peervpnAnswers, await runSecrets(peervpnAnswers));
	assert.deepEqual(planOn('peervpn-config', controller!, {config: configs[0]!.after, binary: '/usr/sbin/peervpn'}).actions, [], 'a later run keeps the psk');
});

test('PeerVPN: a missing binary is said, and the WireGuard mesh is offered; with WireGuard chosen nothing is written', async () => {
	const secrets = await runSecrets(peervpnAnswers);
	const [controller] = hostContexts(peervpnAnswers, secrets);
	assert.throws(
		() => planOn('peervpn-config', controller!, {config: null, binary: {text: '', exitCode: 1}}),
		(error: unknown) => error instanceof StepFailure && /PeerVPN is not installed/.test(error.message) && /mesh: wireguard/.test(error.remedy),
	);
	const [wireguard] = hostContexts(guideAnswers, secrets);
	const plan = planOn('peervpn-config', wireguard!, {config: null, binary: {text: '', exitCode: 1}});
	assert.deepEqual(plan.actions, []);
	assert.match(plan.notes[0]!, /WireGuard/);
});

test('PeerVPN: peervpn@vpn is enabled and started, with a unit written when the binary brought none', async () => {
	const [controller] = hostContexts(peervpnAnswers, await runSecrets(peervpnAnswers));
	const values: FactValues = {
		systemd: 'yes',
		binary: '/usr/local/sbin/peervpn',
		known: {text: '', exitCode: 1},
		unit: null,
		enabled: {text: 'disabled', exitCode: 1},
		active: {text: 'inactive', exitCode: 3},
	};
	const [unit, enable] = summary(planOn('peervpn-service', controller!, values));
	assert.equal(unit![0], 'file /etc/systemd/system/peervpn@.service');
	assert.match(unit![1], /^ExecStart=\/usr\/local\/sbin\/peervpn \/etc\/peervpn\/%i\.conf$/m);
	assert.equal(enable![1], 'systemctl daemon-reload\nsystemctl enable --now peervpn@vpn');
	assert.deepEqual(planOn('peervpn-service', controller!, {...values, known: 'yes', unit: unit![1], enabled: 'enabled', active: 'active'}).actions, []);
});

test("firewall: the mesh port from the other hosts' public addresses only, in its own chain; a match means ok", async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const empty: FactValues = {
		iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
		chain: {text: '', exitCode: 1},
		input: '-P INPUT ACCEPT\n',
		ufw: '',
		firewalld: {text: '', exitCode: 1},
		saved: null,
	};
	const [load, save] = summary(planOn('mesh-firewall', controller!, empty));
	assert.match(load![1], /iptables-restore -w --noflush --test/);
	assert.match(load![1], /-A WAYMARK-MESH -s 192\.0\.2\.55\/32 -p udp -m udp --dport 7000 -j ACCEPT/);
	assert.match(load![1], /-A WAYMARK-MESH -s 192\.0\.2\.66\/32 -p udp -m udp --dport 7000 -j ACCEPT/);
	assert.match(load![1], /-A WAYMARK-MESH -p udp -m udp --dport 7000 -j DROP/);
	assert.match(load![1], /iptables -w -C INPUT -p udp --dport 7000 -j WAYMARK-MESH 2>\/dev\/null \|\| iptables -w -I INPUT 1/);
	assert.match(save![1], /netfilter-persistent save/);
	const chain = [
		'-N WAYMARK-MESH',
		'-A WAYMARK-MESH -s 192.0.2.55/32 -p udp -m udp --dport 7000 -j ACCEPT',
		'-A WAYMARK-MESH -s 192.0.2.66/32 -p udp -m udp --dport 7000 -j ACCEPT',
		'-A WAYMARK-MESH -p udp -m udp --dport 7000 -j DROP',
	];
	const jump = '-A INPUT -p udp -m udp --dport 7000 -j WAYMARK-MESH';
	const done: FactValues = {
		...empty,
		chain: `${chain.join('\n')}\n`,
		input: `-P INPUT ACCEPT\n${jump}\n`,
		saved: `*filter\n${chain.slice(1).join('\n')}\n${jump}\nCOMMIT\n`,
	};
	assert.deepEqual(planOn('mesh-firewall', controller!, done).actions, []);
});

test('checks: every peer pinged across the mesh and a WireGuard handshake with each', async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const firewall = step(vpnMultinode, 'mesh-firewall-controller');
	const dump = 'KEY1=\t(none)\t192.0.2.55:7000\t10.42.42.2/32\t1700000000\t100\t100\toff\nKEY2=\t(none)\t192.0.2.66:7000\t10.42.42.3/32\t0\t0\t100\toff\n';
	const checks = firewall.verify!(
		controller!,
		facts({
			input: '-A INPUT -p udp -m udp --dport 7000 -j WAYMARK-MESH\n',
			'ping:10.42.42.2': '3 packets transmitted, 3 received, 0% packet loss, time 402ms\n',
			'ping:10.42.42.3': {text: '3 packets transmitted, 0 received, 100% packet loss\n', exitCode: 1},
			'wg-dump': dump,
		}),
	);
	const status = Object.fromEntries(checks.map(check => [check.id, check.status]));
	assert.deepEqual(status, {'mesh-jump': 'pass', 'mesh-ping-europe.vpn.example': 'pass', 'mesh-ping-asia.vpn.example': 'fail', 'mesh-port-reachable': 'fail'});
	assert.match(checks.at(-1)!.evidence, /asia\.vpn\.example \(192\.0\.2\.66:7000\)/);
});

test('vpnProfiles: one profile per location, merged into config.yaml keeping the rest, and it parses back', async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const profiles = step(vpnMultinode, 'eduvpn-profiles');
	const existing = '# instance settings\nvpnProfiles:\n    old: {profileNumber: 9}\napiConsumers: {vpn-user-portal: secret}\n';
	const plan = profiles.plan(controller!, facts({api: '', config: existing, standalone: null}));
	const [[path, after] = ['', '']] = summary(plan);
	assert.equal(path, 'file /etc/vpn-server-api/vpn.example/config.yaml');
	assert.match(after, /^# instance settings$/m);
	const parsed = parse(after) as {vpnProfiles: Record<string, Record<string, unknown>>; apiConsumers: unknown};
	assert.deepEqual(parsed.apiConsumers, {'vpn-user-portal': 'secret'});
	assert.deepEqual(Object.keys(parsed.vpnProfiles), ['europe', 'asia']);
	assert.deepEqual(parsed.vpnProfiles['asia'], {
		profileNumber: 2,
		displayName: 'Internet Access (Asia)',
		extIf: 'eth0',
		useNat: true,
		defaultGateway: true,
		hostName: 'asia.vpn.example',
		range: '10.20.30.0/24',
		range6: 'fd00:4445:4647::/48',
		dns: ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844'],
		useProxy: false,
		listen: '0.0.0.0',
		managementIp: '10.42.42.3',
	});
	assert.deepEqual(profiles.plan(controller!, facts({api: '', config: after, standalone: null})).actions, [], 'converges');
	const broken = () => profiles.plan(controller!, facts({api: '', config: 'vpnProfiles: [unclosed\n', standalone: null}));
	assert.throws(broken, (error: unknown) => error instanceof StepFailure && /not valid YAML/.test(error.message));
});

test("vpnProfiles without eduVPN: kept ready in Waymark's own file, and deferred with what to install, never ok", async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const profiles = step(vpnMultinode, 'eduvpn-profiles');
	const resolved = {'dns:vpn.example': '192.0.2.10\n', 'dns:europe.vpn.example': '192.0.2.55\n', 'dns:asia.vpn.example': '192.0.2.66\n'};
	const first = profiles.plan(controller!, facts({api: null, config: null, standalone: null, ...resolved}));
	const [[path, after] = ['', '']] = summary(first);
	assert.equal(path, 'file /etc/waymark/vpn-multinode/vpn-profiles.yaml');
	assert.equal(first.unmet?.status, 'deferred');
	const written = judge(profiles, controller!, facts({api: null, config: null, standalone: after, ...resolved}), {live: true});
	assert.ok(written.kind === 'deferred', written.kind);
	assert.match(written.message, /eduVPN is not installed on ssh:vpn .*not in Debian's archive.*wait in \/etc\/waymark\/vpn-multinode\/vpn-profiles\.yaml/);
	assert.match(written.remedy, /Install eduVPN's vpn-server-api .*eduVPN 3 keeps profiles in \/etc\/vpn-user-portal\/config\.php/);
	assert.deepEqual(
		written.checks.map(check => check.status),
		['pass', 'pass', 'pass'],
	);
	// A DNS entry on another address still fails the step: waiting for eduVPN hides no broken check.
	const elsewhere = facts({api: null, config: null, standalone: after, ...resolved, 'dns:asia.vpn.example': '198.51.100.1\n'});
	const wrong = judge(profiles, controller!, elsewhere, {live: true});
	assert.equal(wrong.kind, 'failed');
});

test('DNS checks: a name on another address fails, an unresolved one warns', async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const checks = step(vpnMultinode, 'eduvpn-profiles').verify!(
		controller!,
		facts({'dns:vpn.example': '192.0.2.10\n', 'dns:europe.vpn.example': '198.51.100.1\n', 'dns:asia.vpn.example': {text: '', exitCode: 2}}),
	);
	assert.deepEqual(
		checks.map(check => check.status),
		['pass', 'fail', 'warn'],
	);
});

test("server config: the guide's command per node and profile; deferred with the reason and what to install where eduVPN is missing", async () => {
	const contexts = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const serverConfig = step(vpnMultinode, 'eduvpn-server-config');
	const asia = contexts[2]!;
	assert.deepEqual(summary(serverConfig.plan(asia, facts({tool: '/usr/sbin/vpn-server-node-server-config', configs: ''}))), [
		[
			'command vpn-server-node-server-config for profile asia',
			'vpn-server-node-server-config --instance vpn.example --profile asia --generate --cn asia01.vpn.example',
		],
	]);
	assert.deepEqual(serverConfig.plan(asia, facts({tool: '/usr/sbin/vpn-server-node-server-config', configs: 'vpn.example-asia-0.conf\n'})).actions, []);
	// eduVPN is not in Debian: never ok without its tool, and never failed either.
	const missing = judge(serverConfig, asia, facts({tool: {text: '', exitCode: 1}, configs: ''}), {live: true});
	assert.equal(missing.kind, 'deferred');
	assert.ok(missing.kind === 'deferred');
	assert.match(missing.message, /vpn-server-node-server-config is not installed on ssh:asia .*not in Debian's archive/);
	assert.match(missing.remedy, /Install eduVPN's vpn-server-node .*--profile asia --generate/);
	assert.equal(judge(serverConfig, asia, facts({tool: {unavailable: true}, configs: {unavailable: true}}), {live: false}).kind, 'deferred');
});

test('packages: wireguard-go only without the kernel module, iproute2 for wg-quick, no Recommends (no kernel image); nothing when all are there', async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const installed = (names: string[]) => names.map(name => `ii \t${name}\t\n`).join('');
	const withoutModule = summary(planOn('mesh-packages', controller!, {apt: '/usr/bin/apt-get', installed: installed(['iptables']), support: 'userspace\n'}));
	assert.equal(withoutModule[0]![0], 'command apt-get install wireguard-tools wireguard-go iproute2 iputils-ping');
	assert.match(withoutModule[0]![1], /^apt-get .* install -y -q --no-install-recommends .* wireguard-tools wireguard-go iproute2 iputils-ping$/m);
	const tools = ['iproute2', 'iptables', 'iputils-ping'];
	const withModule = summary(planOn('mesh-packages', controller!, {apt: '/usr/bin/apt-get', installed: installed(tools), support: 'kernel\n'}));
	assert.equal(withModule[0]![0], 'command apt-get install wireguard-tools');
	assert.deepEqual(planOn('mesh-packages', controller!, {apt: '', installed: installed(['wireguard-tools', ...tools]), support: 'kernel\n'}).actions, []);
});

/** A start script followed by one ping to each of the controller's peers, as wireguard-up writes it. */
function greeted(start: string): string {
	return [`${start} || exit $?`, 'ping -n -q -c 1 -W 1 10.42.42.2 >/dev/null 2>&1', 'ping -n -q -c 1 -W 1 10.42.42.3 >/dev/null 2>&1', 'true'].join('\n');
}

test("wg-quick: after a start, a ping to each peer makes the handshake; a failed start is the script's failure", async () => {
	const peers = [{meshIp: '10.42.42.2'}, {meshIp: '10.42.42.3'}];
	// Peers holding a session of the interface's previous instance would wait ~15 s for WireGuard's rekey otherwise.
	assert.equal(withGreeting('systemctl restart wg-quick@wg-mesh', peers), greeted('systemctl restart wg-quick@wg-mesh'));
	// In a shell: the start's exit status wins; pings that fail (no ping, a peer still down) do not fail the step.
	const sh = async (script: string) => (await execa('/bin/sh', ['-c', script], {reject: false, env: {PATH: '/nonexistent'}})).exitCode;
	assert.equal(await sh(withGreeting('exit 3', peers)), 3);
	assert.equal(await sh(withGreeting(':', peers)), 0);
});

test('wg-quick: enabled under systemd; brought up with wg-quick and said so without systemd', async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const base: FactValues = {
		systemd: 'yes',
		tools: '/usr/bin/wg-quick\n/usr/bin/wg\n',
		support: 'userspace\n',
		address: {text: '', exitCode: 1},
		enabled: {text: 'disabled', exitCode: 1},
		active: {text: 'inactive', exitCode: 3},
		port: {text: '', exitCode: 1},
	};
	const addressed = {address: '5: wg-mesh    inet 10.42.42.1/24 scope global wg-mesh\\       valid_lft forever preferred_lft forever\n', port: '7000\n'};
	const systemd = planOn('wireguard-up', controller!, base);
	// A stray wg-mesh from outside the unit would make wg-quick refuse to start: it goes first.
	const start = greeted('ip link del dev wg-mesh 2>/dev/null; systemctl enable --now wg-quick@wg-mesh');
	assert.deepEqual(summary(systemd), [['command systemctl enable --now wg-quick@wg-mesh', start]]);
	assert.match(systemd.notes.join(' '), /wireguard-go/);
	assert.deepEqual(planOn('wireguard-up', controller!, {...base, ...addressed, enabled: 'enabled', active: 'active'}).actions, []);
	const plain = planOn('wireguard-up', controller!, {...base, systemd: 'no'});
	assert.deepEqual(summary(plain), [['command wg-quick up wg-mesh', greeted('ip link del dev wg-mesh 2>/dev/null; wg-quick up wg-mesh')]]);
	assert.match(plain.notes[0]!, /No systemd.*at boot/);
	const up = {...base, systemd: 'no', ...addressed};
	assert.deepEqual(planOn('wireguard-up', controller!, up).actions, []);
	assert.equal(planOn('wireguard-up', controller!, {...up, port: '0\n'}).actions.length, 1, 'half made: made again');
	assert.throws(
		() => planOn('wireguard-up', controller!, {...base, support: ''}),
		(error: unknown) => error instanceof StepFailure && /wireguard-go/.test(error.remedy),
	);
});

test('wg-quick: an active unit counts only with the interface up; run and check agree', async () => {
	const [controller] = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const wgUp = step(vpnMultinode, 'wireguard-up-controller');
	const active: FactValues = {systemd: 'yes', tools: '/usr/bin/wg-quick\n/usr/bin/wg\n', support: 'userspace\n', enabled: 'enabled', active: 'active'};
	const addressed = {address: '5: wg-mesh    inet 10.42.42.1/24 scope global wg-mesh\\       valid_lft forever preferred_lft forever\n', port: '7000\n'};
	// The oneshot unit stays active after its interface is gone (deleted, wireguard-go killed): restarted, not ok.
	const gone = {...active, address: {text: 'Device "wg-mesh" does not exist.\n', exitCode: 1}, port: {text: '', exitCode: 1}};
	assert.deepEqual(summary(wgUp.plan(controller!, facts(gone))), [
		['command systemctl restart wg-quick@wg-mesh (active, but wg-mesh is not up)', greeted('systemctl restart wg-quick@wg-mesh')],
	]);
	const verdict = judge(wgUp, controller!, facts(gone), {live: true});
	assert.equal(verdict.kind, 'todo');
	const checks = Object.fromEntries(wgUp.verify!(controller!, facts(gone)).map(check => [check.id, check.status]));
	assert.deepEqual(checks, {'wireguard-address': 'fail', 'wireguard-listening': 'fail'});
	// Up, but not enabled at boot: only the enable.
	const notAtBoot = wgUp.plan(controller!, facts({...active, ...addressed, enabled: {text: 'disabled', exitCode: 1}}));
	assert.deepEqual(summary(notAtBoot), [['command systemctl enable wg-quick@wg-mesh', 'systemctl enable wg-quick@wg-mesh']]);
	// Listening without its address (a half-made interface) is not up either.
	assert.equal(wgUp.plan(controller!, facts({...active, port: '7000\n', address: ''})).actions.length, 1);
	const ok = judge(wgUp, controller!, facts({...active, ...addressed}), {live: true});
	assert.equal(ok.kind, 'ok');
	assert.deepEqual(ok.kind === 'ok' && ok.checks.map(check => check.status), ['pass', 'pass']);
});

test('OpenVPN waits for the mesh at boot: a drop-in for every openvpn-server@ instance under systemd only', async () => {
	const contexts = hostContexts(guideAnswers, await runSecrets(guideAnswers));
	const order = step(vpnMultinode, 'openvpn-after-mesh');
	const plan = summary(order.plan(contexts[1]!, facts({systemd: 'yes', dropin: null})));
	assert.equal(plan[0]![0], 'file /etc/systemd/system/openvpn-server@.service.d/waymark-mesh.conf');
	assert.match(plan[0]![1], /^Wants=wg-quick@wg-mesh\.service\nAfter=wg-quick@wg-mesh\.service$/m);
	assert.equal(plan[1]![0], 'command systemctl daemon-reload');
	assert.deepEqual(order.plan(contexts[1]!, facts({systemd: 'yes', dropin: plan[0]![1]})).actions, []);
	const peervpn = hostContexts(peervpnAnswers, await runSecrets(peervpnAnswers));
	assert.match(summary(order.plan(peervpn[1]!, facts({systemd: 'yes', dropin: null})))[0]![1], /^After=peervpn@vpn\.service$/m);
	assert.match(order.plan(contexts[1]!, facts({systemd: 'no', dropin: null})).notes[0]!, /No systemd/);
});
