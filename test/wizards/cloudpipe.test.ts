// cloudpipe steps as data: the payload is a deterministic base64 zip with the guide's files, the rules are
// added once, and every plan is empty once applied.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {generateStaticKey} from '../../source/keys/openvpn-static-key.js';
import {createCa, createCrl, issueCertificate} from '../../source/keys/pki.js';
import {cloudpipe, payloadFiles, userData} from '../../wizards/cloudpipe/index.js';
import {context, facts, step, summary} from './step-harness.js';

const ca = await createCa({commonName: 'project1-ca', days: 30});
const server = await issueCertificate(ca, {kind: 'server', commonName: 'cloudpipe-project1', days: 30});
const secrets = {
	'cloudpipe-ca': `${ca.privateKeyPem}${ca.certificatePem}`,
	'cloudpipe-server': `${server.privateKeyPem}${server.certificatePem}`,
	'cloudpipe-tls-crypt': generateStaticKey(),
	'cloudpipe-clients': 'alice 01\n',
	'cloudpipe-crl': createCrl(ca, {revoked: [], nextUpdateDays: 30}),
};
const ctx = context(cloudpipe, {publicIp: '198.51.100.1', vpnIp: '10.0.0.2', vault: '/tmp/waymark-test-vault'}, secrets);

test("payload: the guide's files plus the keys, zipped the same way every time, unzip restores modes", () => {
	assert.deepEqual(
		payloadFiles(ctx).map(file => file.name),
		['server.conf', 'up.sh', 'down.sh', 'autorun.sh', 'ca.crt', 'server.crt', 'server.key', 'tls-crypt.key', 'crl.pem'],
	);
	const config = payloadFiles(ctx)[0]!.content;
	assert.match(config, /^server 10\.8\.0\.0 255\.255\.255\.0$/m);
	assert.match(config, /^push "route 10\.0\.0\.0 255\.255\.255\.0"$/m);
	assert.match(config, /^crl-verify cloudpipe\/crl\.pem$/m);
	assert.match(config, /^remote-cert-tls client$/m);
	assert.match(config, /^cipher AES-256-GCM$/m);
	assert.match(config, /^max-clients 5$/m);
	assert.equal(userData(ctx), userData(ctx), 'deterministic');
	const dir = mkdtempSync(join(tmpdir(), 'waymark-payload-'));
	try {
		writeFileSync(join(dir, 'payload.zip'), Buffer.from(userData(ctx), 'base64'));
		execFileSync('unzip', ['-q', join(dir, 'payload.zip'), '-d', join(dir, 'out')]);
		assert.equal(readFileSync(join(dir, 'out/server.key'), 'utf8'), server.privateKeyPem);
		assert.match(execFileSync('stat', ['-c', '%a', join(dir, 'out/autorun.sh'), join(dir, 'out/server.key')], {encoding: 'utf8'}), /^755\n600\n$/);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('user data: a secret 0600 file on the network host, and on the VPN a seed plus a run of the payload', () => {
	const network = step(cloudpipe, 'network-user-data');
	const planned = network.plan(ctx, facts({'/var/lib/waymark/cloudpipe/user-data.b64': null}));
	const file = planned.actions[0];
	assert.ok(file?.kind === 'file' && file.secret === true && file.mode === 0o600);
	assert.deepEqual(network.plan(ctx, facts({'/var/lib/waymark/cloudpipe/user-data.b64': userData(ctx)})).actions, []);
	const vpn = step(cloudpipe, 'vpn-user-data');
	assert.deepEqual(
		summary(vpn.plan(ctx, facts({seed: null, running: 'stopped\n'}))).map(([what]) => what),
		['file /var/lib/waymark/cloudpipe/user-data.b64', 'command Run the payload (decode, unzip, autorun.sh)'],
	);
	assert.deepEqual(vpn.plan(ctx, facts({seed: userData(ctx), running: 'running\n'})).actions, []);
	assert.deepEqual(
		summary(vpn.plan(ctx, facts({seed: null, running: {unavailable: true}}))).map(([what]) => what),
		['file /var/lib/waymark/cloudpipe/user-data.b64'],
		'offline image: seed only',
	);
});

test('rules: the port forward and the security group, each -C before -A, then saved', () => {
	const forward = step(cloudpipe, 'network-port-forward');
	const [dnat, accept, save] = summary(
		forward.plan(ctx, facts({iptables: '/usr/sbin/iptables\n', saved: null, rule0: {text: '', exitCode: 1}, rule1: {text: '', exitCode: 1}})),
	);
	assert.equal(
		dnat?.[1],
		'iptables -w -t nat -C PREROUTING -d 198.51.100.1/32 -p udp -m udp --dport 41194 -j DNAT --to-destination 10.0.0.2:1194 2>/dev/null || iptables -w -t nat -A PREROUTING -d 198.51.100.1/32 -p udp -m udp --dport 41194 -j DNAT --to-destination 10.0.0.2:1194',
	);
	assert.match(accept![1], /-C FORWARD -d 10\.0\.0\.2\/32 -p udp -m udp --dport 1194 -j ACCEPT/);
	assert.match(save![0], /Save the rules/);
	const group = step(cloudpipe, 'vpn-security-group');
	const saved = '*filter\n-A INPUT -p udp -m udp --dport 1194 -j ACCEPT\n-A INPUT -p icmp -j ACCEPT\nCOMMIT\n';
	assert.deepEqual(group.plan(ctx, facts({iptables: '/usr/sbin/iptables\n', saved, rule0: 'present\n', rule1: 'present\n'})).actions, []);
	assert.equal(group.plan(ctx, facts({iptables: {unavailable: true}})).unmet?.status, 'deferred');
	assert.match(group.plan(ctx, facts({iptables: {unavailable: true}})).unmet?.reason ?? '', /Offline target/);
});

test('fresh hosts get what the payload and the rules run: iptables on the network host; openvpn, unzip, iptables, openssl on the VPN', () => {
	const network = step(cloudpipe, 'network-packages');
	const minbase = 'ii \tbash\t\nii \tiproute2\t\n';
	assert.deepEqual(
		summary(network.plan(ctx, facts({apt: '/usr/bin/apt-get\n', installed: minbase}))).map(([what]) => what),
		['command apt-get install iptables'],
	);
	assert.deepEqual(network.plan(ctx, facts({apt: '/usr/bin/apt-get\n', installed: `${minbase}ii \tiptables\t\n`})).actions, []);
	const vpn = step(cloudpipe, 'vpn-openvpn');
	const missing = {text: '', exitCode: 1};
	const bare = {'openvpn-version': '', apt: '/usr/bin/apt-get\n', 'has-unzip': missing, 'has-iptables': missing, 'has-openssl': missing};
	assert.deepEqual(
		summary(vpn.plan(ctx, facts(bare))).map(([what]) => what),
		['command apt-get install openvpn unzip iptables openssl'],
	);
	// openvpn pulls in no openssl binary: the CRL refresh would fail without it.
	const withOpenvpn = {...bare, 'openvpn-version': 'OpenVPN 2.6.14 x\n', 'has-unzip': '/usr/bin/unzip\n', 'has-iptables': '/usr/sbin/iptables\n'};
	assert.deepEqual(
		summary(vpn.plan(ctx, facts(withOpenvpn))).map(([what]) => what),
		['command apt-get install openssl'],
	);
	assert.deepEqual(vpn.plan(ctx, facts({...withOpenvpn, 'has-openssl': '/usr/bin/openssl\n'})).actions, []);
});

test("the image's boot unit and CRL timer are enabled from what systemd says, not only after the files change", async () => {
	const {judge} = await import('../../source/engine/converge.js');
	const image = step(cloudpipe, 'vpn-image');
	const first = image.plan(ctx, facts({'boot-units': 'disabled disabled inactive\n'}));
	const written = Object.fromEntries(first.actions.flatMap(action => (action.kind === 'file' ? [[action.path, action.after]] : [])));
	assert.equal(Object.keys(written).length, 4);
	assert.equal(summary(first).at(-1)?.[0], 'command Enable the payload unit and the CRL timer (systemd)');
	// Cut off after the write, before the enable: the next run still enables them.
	assert.deepEqual(
		summary(image.plan(ctx, facts({...written, 'boot-units': 'disabled disabled inactive\n'}))).map(([what]) => what),
		['command Enable the payload unit and the CRL timer (systemd)'],
	);
	assert.deepEqual(image.plan(ctx, facts({...written, 'boot-units': 'enabled enabled active\n'})).actions, []);
	assert.deepEqual(image.plan(ctx, facts({...written, 'boot-units': 'no-systemd\n'})).actions, []);
	// An offline image: the units are written, and enabling them waits for the live host, said so.
	const offline = {...ctx, target: {kind: 'root', label: 'root:/srv/image'}} as const;
	const verdict = judge(image, offline, facts({...written, 'boot-units': {unavailable: true}}), {live: false});
	assert.equal(verdict.kind, 'deferred');
	assert.match(verdict.kind === 'deferred' ? verdict.message : '', /Enable the payload unit and the CRL timer/);
});
