// openvpn-p2p and cloudpipe steps as data: facts in, plans out, rendered configs, and convergence.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {sha512Crypt, verifySha512Crypt} from '../../source/keys/sha512-crypt.js';
import {generateStaticKey, tlsCryptKey} from '../../source/keys/openvpn-static-key.js';
import {selfSigned} from '../../source/keys/pki.js';
import {openvpnP2p, renderConfig} from '../../wizards/openvpn-p2p/index.js';
import {htpasswdText} from '../../wizards/openvpn-p2p/nginx-basic-auth.js';
import {applyFiles, context, facts, step, summary, type FactValues} from './step-harness.js';

const pem = async (kind: 'server' | 'client') => {
	const made = await selfSigned({commonName: `mistio-${kind}`, kind, days: 30});
	return `${made.privateKeyPem}${made.certificatePem}`;
};

const secrets = {
	'p2p-static-key': generateStaticKey(),
	'p2p-tls-crypt-key': tlsCryptKey(),
	'p2p-server-tls': await pem('server'),
	'p2p-client-tls': await pem('client'),
};
const answers = {serverPublicAddress: '198.51.100.7', vault: '/tmp/waymark-test-vault'};
const ctx = context(openvpnP2p, answers, secrets);
const staticCtx = context(openvpnP2p, {...answers, mode: 'static-key', proto: 'udp'}, secrets);

test("configs: TLS pins the peer's fingerprint, the client reverses the ifconfig pair, a cipher is always explicit", () => {
	const server = renderConfig(ctx, 'server');
	const client = renderConfig(ctx, 'client');
	assert.match(server, /^proto tcp-server$/m);
	assert.match(server, /^ifconfig 10\.0\.0\.10 10\.0\.0\.5$/m);
	assert.match(server, /^tls-server\ndh none$/m);
	assert.match(server, /^peer-fingerprint ([\dA-F]{2}:){31}[\dA-F]{2}$/m);
	assert.match(server, /^up mistio\/up\.sh$/m);
	assert.match(client, /^remote 198\.51\.100\.7\n/m);
	assert.match(client, /^proto tcp-client$/m);
	assert.match(client, /^ifconfig 10\.0\.0\.5 10\.0\.0\.10$/m);
	assert.doesNotMatch(client, /^up /m);
	for (const config of [server, client, renderConfig(staticCtx, 'server')]) {
		assert.match(config, /^cipher AES-256-(GCM|CBC)$/m);
	}

	const legacy = renderConfig(staticCtx, 'server');
	assert.match(legacy, /^secret mistio\/static\.key$/m);
	assert.match(legacy, /^proto udp$/m);
	assert.doesNotMatch(legacy, /allow-deprecated-insecure-static-crypto/);
	assert.match(renderConfig(staticCtx, 'server', [2, 7]), /^allow-deprecated-insecure-static-crypto$/m);
});

test("keys: written 0600 as secrets, never in the plan's text; the plan is empty once they are there", () => {
	const keys = step(openvpnP2p, 'server-keys');
	const empty: FactValues = {
		'/etc/openvpn/server/mistio/server.key': null,
		'/etc/openvpn/server/mistio/server.crt': null,
		'/etc/openvpn/server/mistio/tls-crypt.key': null,
	};
	const planned = keys.plan(ctx, facts(empty));
	const secretFiles = planned.actions.filter(action => action.kind === 'file' && action.secret);
	assert.deepEqual(
		secretFiles.map(action => action.kind === 'file' && [action.path, action.mode]),
		[
			['/etc/openvpn/server/mistio/server.key', 0o600],
			['/etc/openvpn/server/mistio/tls-crypt.key', 0o600],
		],
	);
	const keyMap = Object.fromEntries(Object.keys(empty).map(path => [path, path]));
	assert.deepEqual(keys.plan(ctx, facts(applyFiles(planned, empty, keyMap))).actions, [], 'converges');
	const staticKeys = step(openvpnP2p, 'client-keys').plan(staticCtx, facts({'/etc/openvpn/client/mistio/static.key': null}));
	assert.match(staticKeys.notes.join(' '), /deprecated/);
});

test('routing: the table gets a name, the up script sets rule and route, and they are set now only with tun0 up', () => {
	const routing = step(openvpnP2p, 'server-routing');
	const down: FactValues = {tables: null, up: null, device: '', rules: '0:\tfrom all lookup local\n', routes: ''};
	const first = routing.plan(ctx, facts(down));
	const [tables, up, now] = summary(first);
	assert.deepEqual(tables?.[0], 'file /etc/iproute2/rt_tables.d/waymark.conf');
	assert.match(tables![1], /^1\tmistio$/m);
	assert.match(up![1], /ip rule add from 10\.0\.0\.10 table 1/);
	assert.match(up![1], /ip route replace default via 10\.0\.0\.5 dev "\$\{1:-tun0\}" table 1/);
	assert.equal(now, undefined, 'no command while tun0 is down');
	const applied = applyFiles(first, down, {'/etc/iproute2/rt_tables.d/waymark.conf': 'tables', '/etc/openvpn/server/mistio/up.sh': 'up'});
	assert.deepEqual(routing.plan(ctx, facts(applied)).actions, []);
	const upNow = summary(routing.plan(ctx, facts({...applied, device: '5: tun0: <POINTOPOINT,UP>'})));
	assert.deepEqual(
		upNow.map(([what]) => what),
		['command Route traffic from 10.0.0.10 via 10.0.0.5 (table mistio) now'],
	);
	const done = {...applied, device: '5: tun0: <POINTOPOINT,UP>', rules: '32765:\tfrom 10.0.0.10 lookup mistio\n', routes: 'default via 10.0.0.5 dev tun0 \n'};
	assert.deepEqual(routing.plan(ctx, facts(done)).actions, []);
});

test('client: forwarding in sysctl.d and MASQUERADE added with -C first, then saved; nothing when present', () => {
	const forwarding = step(openvpnP2p, 'client-forwarding');
	const [file, now] = summary(forwarding.plan(ctx, facts({file: null, running: '0\n'})));
	assert.equal(file?.[0], 'file /etc/sysctl.d/90-waymark-openvpn-p2p.conf');
	assert.match(file![1], /^net\.ipv4\.ip_forward = 1$/m);
	assert.equal(now?.[1], 'sysctl -q -p /etc/sysctl.d/90-waymark-openvpn-p2p.conf');
	assert.deepEqual(forwarding.plan(ctx, facts({file: file![1], running: '1\n'})).actions, []);
	const nat = step(openvpnP2p, 'client-masquerade');
	const [add, save] = summary(nat.plan(ctx, facts({iptables: '/usr/sbin/iptables\n', saved: null, rule0: {text: '', exitCode: 1}})));
	assert.equal(add?.[1], 'iptables -w -t nat -C POSTROUTING -o eth0 -j MASQUERADE 2>/dev/null || iptables -w -t nat -A POSTROUTING -o eth0 -j MASQUERADE');
	assert.match(save![1], /iptables-save > \/etc\/iptables\/rules\.v4/);
	assert.deepEqual(
		nat.plan(ctx, facts({iptables: '/usr/sbin/iptables\n', saved: '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n', rule0: 'present\n'})).actions,
		[],
	);
});

test('service: systemd units when there, a daemon otherwise; install with a clear message without apt', () => {
	const service = step(openvpnP2p, 'server-service');
	const [unit] = summary(service.plan(ctx, facts({systemd: 'yes\n', enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n', daemon: 'stopped\n'})));
	assert.match(unit![1], /systemctl enable openvpn-server@mistio\.service\nsystemctl start --no-block openvpn-server@mistio\.service/);
	assert.deepEqual(service.plan(ctx, facts({systemd: 'yes\n', enabled: 'enabled\n', active: 'active\n', daemon: 'stopped\n'})).actions, []);
	const [daemon] = summary(service.plan(ctx, facts({systemd: 'no\n', enabled: {text: '', exitCode: 1}, active: '', daemon: 'stopped\n'})));
	assert.match(daemon![1], /openvpn --daemon openvpn-server-mistio --cd \/etc\/openvpn\/server --config mistio\.conf/);
	const install = step(openvpnP2p, 'server-openvpn');
	assert.equal(
		summary(install.plan(ctx, facts({'openvpn-version': {text: '', exitCode: 0}, apt: '/usr/bin/apt-get\n'})))[0]?.[0],
		'command apt-get install openvpn',
	);
	assert.throws(
		() => install.plan(ctx, facts({'openvpn-version': {text: '', exitCode: 0}, apt: {text: '', exitCode: 1}})),
		/openvpn is not installed on ssh:node1/,
	);
	assert.deepEqual(install.plan(ctx, facts({'openvpn-version': 'OpenVPN 2.6.14 x86_64-pc-linux-gnu\n', apt: '/usr/bin/apt-get\n'})).actions, []);
});

test('nginx: SHA-512 crypt htpasswd that openssl agrees with, kept when the password matches; capabilities by unit', () => {
	assert.equal(sha512Crypt('secret', 'abcdefgh'), '$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.');
	try {
		const fromOpenssl = execFileSync('openssl', ['passwd', '-6', '-salt', 'rounds=9000$0123456789abcdef', 'pässwörd with spaces'], {encoding: 'utf8'}).trim();
		assert.equal(sha512Crypt('pässwörd with spaces', '0123456789abcdef', 9000), fromOpenssl);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}

	const first = htpasswdText(null, 'admin', 'pw one');
	assert.match(first, /^admin:\$6\$[^$]{16}\$[./\dA-Za-z]{86}\n$/);
	assert.ok(verifySha512Crypt('pw one', first.trim().slice('admin:'.length)));
	assert.equal(htpasswdText(first, 'admin', 'pw one'), first, 'same password: same file');
	assert.notEqual(htpasswdText(first, 'admin', 'pw two'), first);
	const nginxCtx = context(openvpnP2p, {...answers, nginx: true, authPassword: 'pw one'}, secrets);
	const nginx = step(openvpnP2p, 'server-nginx');
	const planned = nginx.plan(
		nginxCtx,
		facts({
			nginx: '/usr/sbin/nginx\n',
			site: null,
			htpasswd: null,
			group: {text: '', exitCode: 1},
			enabled: {text: '', exitCode: 1},
			default: 'present\n',
			running: 'stopped\n',
		}),
	);
	const htpasswd = planned.actions.find(action => action.kind === 'file' && action.path === '/etc/nginx/.htpasswd');
	assert.ok(htpasswd?.kind === 'file' && htpasswd.secret === true);
	assert.ok(!JSON.stringify(planned).includes('pw one'));
	const caps = step(openvpnP2p, 'server-capabilities');
	const capFacts = {
		bin: '',
		unit: null,
		getcap: '/home/mist/mist.io/bin/python cap_net_admin,cap_net_raw=eip\n/home/mist/mist.io/bin/uwsgi \n',
		enabled: 'disabled\n',
	};
	const [unit, remove] = summary(caps.plan(ctx, facts(capFacts)));
	assert.match(unit![1], /^AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW$/m);
	assert.equal(remove?.[1], 'setcap -r "$(readlink -f /home/mist/mist.io/bin/python)"');
	const override = summary(caps.plan(context(openvpnP2p, {...answers, setcapOverride: true}, secrets), facts(capFacts)));
	assert.deepEqual(
		override.map(([what]) => what),
		['command setcap cap_net_admin,cap_net_raw=eip /home/mist/mist.io/bin/uwsgi (the guide, by override)'],
	);
});

test('OpenVPN before 2.6 has no peer-fingerprint: the default mode stops with what to install or choose instead', async () => {
	const {renderConfig} = await import('../../wizards/openvpn-p2p/index.js');
	const {StepFailure} = await import('../../source/engine/errors.js');
	assert.throws(
		() => renderConfig(ctx, 'server', [2, 5]),
		(error: unknown) => error instanceof StepFailure && /OpenVPN 2\.5 .* has no peer-fingerprint/.test(error.message) && /static-key/.test(error.remedy),
	);
});

test('the start waits, bounded, while systemd says activating, so the probe after it sees the unit as it settled', () => {
	const [start] = summary(
		step(openvpnP2p, 'server-service').plan(
			ctx,
			facts({systemd: 'yes\n', enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n', daemon: 'stopped\n'}),
		),
	);
	const dir = mkdtempSync(join(tmpdir(), 'waymark-start-'));
	try {
		// A systemctl that says activating for the first `settle` questions, then active; sleep does not wait.
		writeFileSync(
			join(dir, 'systemctl'),
			'#!/bin/sh\necho "$*" >> "$LOG"\n[ "$1" = is-active ] || exit 0\nn=$(grep -c is-active "$LOG")\n[ "$n" -gt "$SETTLE" ] && echo active || echo activating\n',
			{mode: 0o755},
		);
		writeFileSync(join(dir, 'sleep'), '#!/bin/sh\n', {mode: 0o755});
		writeFileSync(join(dir, 'openvpn'), '#!/bin/sh\n', {mode: 0o755});
		const questions = (settle: number) => {
			const log = join(dir, `log-${settle}`);
			execFileSync('/bin/sh', ['-c', start![1]], {env: {PATH: `${dir}:/usr/bin:/bin`, LOG: log, SETTLE: String(settle)}});
			return readFileSync(log, 'utf8')
				.split('\n')
				.filter(line => line.startsWith('is-active')).length;
		};

		assert.equal(questions(0), 1, 'active at once: asked once');
		assert.equal(questions(3), 4, 'activating three times, then active');
		assert.equal(questions(1000), 151, 'never settles: gives up after 150 waits, and the probe reports it');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('a fresh client gets iptables for its NAT rule; the server needs only openvpn', () => {
	const none = {'openvpn-version': '', apt: '/usr/bin/apt-get\n', 'has-iptables': {text: '', exitCode: 1}};
	assert.deepEqual(
		summary(step(openvpnP2p, 'client-openvpn').plan(ctx, facts(none))).map(([what]) => what),
		['command apt-get install openvpn iptables'],
	);
	assert.deepEqual(
		summary(step(openvpnP2p, 'client-openvpn').plan(ctx, facts({...none, 'openvpn-version': 'OpenVPN 2.6.14 x\n'}))).map(([what]) => what),
		['command apt-get install iptables'],
	);
	assert.deepEqual(
		step(openvpnP2p, 'client-openvpn').plan(ctx, facts({...none, 'openvpn-version': 'OpenVPN 2.6.14 x\n', 'has-iptables': '/usr/sbin/iptables\n'})).actions,
		[],
	);
	assert.deepEqual(
		summary(step(openvpnP2p, 'server-openvpn').plan(ctx, facts(none))).map(([what]) => what),
		['command apt-get install openvpn'],
	);
});
