// Real OpenVPN handshakes over loopback with `--dev null` (no tun device, no root): the generated CA, certificates,
// CRL, fingerprints and tls-crypt key must be what OpenVPN 2.6 itself accepts and rejects.

import {after, before, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {tlsCryptKey} from '../../source/keys/openvpn-static-key.js';
import {createCa, createCrl, issueCertificate, selfSigned, type CertificateAndKey, type CertificateAuthority} from '../../source/keys/pki.js';
import {makeTempDir, requireTool, type TempDir} from './real-tools.js';

// Seconds a client waits for the TLS handshake before giving up; long enough for a loaded CI machine.
const HAND_WINDOW = 4;

let tmp: TempDir;
let ca: CertificateAuthority;
let server: CertificateAndKey;
let alice: CertificateAndKey;
let mallory: CertificateAndKey;
const paths: Record<string, string> = {};
const children = new Set<ChildProcess>();

before(async () => {
	tmp = await makeTempDir();
	ca = await createCa({commonName: 'Waymark VPN CA', days: 3650});
	[server, alice, mallory] = await Promise.all([
		issueCertificate(ca, {commonName: 'server', kind: 'server', days: 825}),
		issueCertificate(ca, {commonName: 'alice', kind: 'client', days: 825}),
		issueCertificate(ca, {commonName: 'mallory', kind: 'client', days: 825}),
	]);
	for (const [name, pair] of Object.entries({ca, server, alice, mallory})) {
		paths[`${name}.crt`] = await tmp.write(`${name}.crt`, pair.certificatePem);
		paths[`${name}.key`] = await tmp.write(`${name}.key`, pair.privateKeyPem);
	}

	paths['crl.pem'] = await tmp.write('crl.pem', createCrl(ca, {revoked: [{serial: mallory.serial, date: new Date()}], nextUpdateDays: 30}));
	paths['tc.key'] = await tmp.write('tc.key', tlsCryptKey());
});
after(async () => {
	// Only the openvpn processes these tests started, by their own handles.
	await Promise.all([...children].map(async child => stop(child)));
	await tmp.remove();
});

function path(name: string): string {
	const value = paths[name];
	assert.ok(value, name);
	return value;
}

async function freeUdpPort(): Promise<number> {
	const socket = createSocket('udp4');
	socket.bind(0, '127.0.0.1');
	await once(socket, 'listening');
	const {port} = socket.address();
	socket.close();
	return port;
}

interface Running {
	readonly child: ChildProcess;
	log: string;
}

function start(openvpn: string, args: readonly string[]): Running {
	const child = spawn(openvpn, ['--dev', 'null', '--proto', 'udp4', '--verb', '3', '--tls-exit', '--hand-window', String(HAND_WINDOW), ...args], {
		cwd: tmp.path,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	child.on('exit', () => children.delete(child));
	const running: Running = {child, log: ''};
	child.stdout?.on('data', (chunk: Buffer) => {
		running.log += chunk.toString();
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		running.log += chunk.toString();
	});
	return running;
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) {
		const exited = once(child, 'exit');
		child.kill('SIGTERM');
		await exited;
	}
}

function exited(running: Running): boolean {
	return running.child.exitCode !== null || running.child.signalCode !== null;
}

// Polls a log (no fixed sleeps) until `pattern` shows, a watched process ends, or the deadline passes.
async function waitFor(running: Running, pattern: RegExp, ms: number, alsoWatch?: Running): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (pattern.test(running.log)) {
			return true;
		}

		if (exited(running) || (alsoWatch !== undefined && exited(alsoWatch))) {
			return pattern.test(running.log);
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return pattern.test(running.log);
}

interface Outcome {
	readonly connected: boolean;
	readonly serverLog: string;
	readonly clientLog: string;
}

async function handshake(t: TestContext, serverArgs: readonly string[], clientArgs: readonly string[]): Promise<Outcome | undefined> {
	const openvpn = requireTool(t, 'openvpn', 'openvpn');
	if (openvpn === undefined) {
		return undefined;
	}

	const port = await freeUdpPort();
	const serverRun = start(openvpn, ['--local', '127.0.0.1', '--lport', String(port), '--tls-server', '--dh', 'none', ...serverArgs]);
	try {
		assert.ok(await waitFor(serverRun, /UDPv4 link local \(bound\)/, 10_000), serverRun.log);
		const clientRun = start(openvpn, ['--remote', '127.0.0.1', String(port), '--nobind', '--tls-client', ...clientArgs]);
		try {
			// --tls-exit makes the server quit on a refused peer, which ends the wait at once.
			const connected = await waitFor(clientRun, /Initialization Sequence Completed/, (HAND_WINDOW + 6) * 1000, serverRun);
			if (connected) {
				await waitFor(serverRun, /Initialization Sequence Completed/, 5000);
			}

			return {connected, serverLog: serverRun.log, clientLog: clientRun.log};
		} finally {
			await stop(clientRun.child);
		}
	} finally {
		await stop(serverRun.child);
	}
}

const caServer = () => [
	'--ca',
	path('ca.crt'),
	'--cert',
	path('server.crt'),
	'--key',
	path('server.key'),
	'--crl-verify',
	path('crl.pem'),
	'--remote-cert-tls',
	'client',
	'--tls-crypt',
	path('tc.key'),
];
const caClient = (name: string) => [
	'--ca',
	path('ca.crt'),
	'--cert',
	path(`${name}.crt`),
	'--key',
	path(`${name}.key`),
	'--remote-cert-tls',
	'server',
	'--tls-crypt',
	path('tc.key'),
];

test('CA mode: a client certificate connects to the server certificate (remote-cert-tls both ways, CRL, tls-crypt)', async t => {
	const outcome = await handshake(t, caServer(), caClient('alice'));
	if (outcome === undefined) {
		return;
	}

	assert.ok(outcome.connected, outcome.clientLog + outcome.serverLog);
	assert.match(outcome.clientLog, /VERIFY KU OK/);
	assert.match(outcome.clientLog, /VERIFY EKU OK/);
	assert.match(outcome.clientLog, /VERIFY OK: depth=0, CN=server/);
	assert.match(outcome.serverLog, /CRL: loaded 1 CRLs from file/);
	assert.match(outcome.serverLog, /VERIFY OK: depth=0, CN=alice/);
});

test('CA mode: the server refuses the client revoked in the CRL', async t => {
	const outcome = await handshake(t, caServer(), caClient('mallory'));
	if (outcome === undefined) {
		return;
	}

	assert.equal(outcome.connected, false, outcome.clientLog);
	assert.match(outcome.serverLog, /VERIFY ERROR: depth=0, error=certificate revoked: CN=mallory/);
});

test('CA mode: remote-cert-tls client refuses a server certificate used as a client one', async t => {
	const outcome = await handshake(t, caServer(), [
		'--ca',
		path('ca.crt'),
		'--cert',
		path('server.crt'),
		'--key',
		path('server.key'),
		'--tls-crypt',
		path('tc.key'),
	]);
	if (outcome === undefined) {
		return;
	}

	assert.equal(outcome.connected, false, outcome.clientLog);
	// OpenSSL's purpose check (OpenVPN asks for sslclient) fires before OpenVPN's own EKU check.
	assert.match(outcome.serverLog, /VERIFY ERROR: depth=0, error=unsuitable certificate purpose: CN=server|VERIFY EKU ERROR/);
});

test('peer-fingerprint mode: self-signed certificates and the fingerprints we compute', async t => {
	const [peerServer, peerClient] = await Promise.all([
		selfSigned({commonName: 'p2p-server', kind: 'server', days: 30}),
		selfSigned({commonName: 'p2p-client', kind: 'client', days: 30}),
	]);
	const files = {
		serverCrt: await tmp.write('p2p-server.crt', peerServer.certificatePem),
		serverKey: await tmp.write('p2p-server.key', peerServer.privateKeyPem),
		clientCrt: await tmp.write('p2p-client.crt', peerClient.certificatePem),
		clientKey: await tmp.write('p2p-client.key', peerClient.privateKeyPem),
	};
	const outcome = await handshake(
		t,
		['--cert', files.serverCrt, '--key', files.serverKey, '--peer-fingerprint', peerClient.fingerprint, '--tls-crypt', path('tc.key')],
		['--cert', files.clientCrt, '--key', files.clientKey, '--peer-fingerprint', peerServer.fingerprint, '--tls-crypt', path('tc.key')],
	);
	if (outcome === undefined) {
		return;
	}

	assert.ok(outcome.connected, outcome.clientLog + outcome.serverLog);
	assert.match(outcome.clientLog, /Using certificate fingerprint to verify peer/);

	// The wrong fingerprint must not connect.
	const refused = await handshake(
		t,
		['--cert', files.serverCrt, '--key', files.serverKey, '--peer-fingerprint', peerServer.fingerprint, '--tls-crypt', path('tc.key')],
		['--cert', files.clientCrt, '--key', files.clientKey, '--peer-fingerprint', peerServer.fingerprint, '--tls-crypt', path('tc.key')],
	);
	assert.equal(refused?.connected, false, refused?.clientLog);
	// OpenVPN names the hash it computed (in lowercase): it is ours.
	assert.ok(refused?.serverLog.includes(`got certificate fingerprint: ${peerClient.fingerprint.toLowerCase()}`), refused?.serverLog);
});
