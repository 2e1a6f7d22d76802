import {after, before, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {X509Certificate} from 'node:crypto';
import {KeyFormatError} from '../../source/keys/key-format-error.js';
import {
	RSA_BITS,
	certificateFingerprint,
	createCa,
	createCrl,
	issueCertificate,
	keyUsageSummary,
	readCrl,
	selfSigned,
	type CertificateAndKey,
	type CertificateAuthority,
} from '../../source/keys/pki.js';
import {makeTempDir, requireTool, run, type TempDir} from './real-tools.js';

const DAY = 24 * 60 * 60 * 1000;

let tmp: TempDir;
let ca: CertificateAuthority;
let server: CertificateAndKey;
let alice: CertificateAndKey;
let mallory: CertificateAndKey;
let web: CertificateAndKey;
let fixedSerial: CertificateAndKey;
const files: Record<string, string> = {};

before(async () => {
	tmp = await makeTempDir();
	ca = await createCa({commonName: 'Waymark test CA', days: 3650});
	[server, alice, mallory, web, fixedSerial] = await Promise.all([
		issueCertificate(ca, {commonName: 'vpn.example.org', kind: 'server', days: 825}),
		issueCertificate(ca, {commonName: 'alice', kind: 'client', days: 825}),
		issueCertificate(ca, {commonName: 'mallory_laptop@home', kind: 'client', days: 825}),
		selfSigned({commonName: 'web', kind: 'server', days: 30, altNames: ['example.org', '*.example.org', '192.0.2.10', '2001:db8::10']}),
		issueCertificate(ca, {commonName: 'fixed', kind: 'client', days: 30, serial: 'FF:01'}),
	]);
	for (const [name, pair] of Object.entries({ca, server, alice, mallory, web, fixedSerial})) {
		files[`${name}.crt`] = await tmp.write(`${name}.crt`, pair.certificatePem);
		files[`${name}.key`] = await tmp.write(`${name}.key`, pair.privateKeyPem);
	}
});
after(async () => {
	await tmp.remove();
});

function file(name: string): string {
	const path = files[name];
	assert.ok(path, name);
	return path;
}

async function openssl(t: TestContext, ...args: string[]) {
	const path = requireTool(t, 'openssl', 'openssl');
	return path === undefined ? undefined : run(path, args);
}

test('PEM outputs are LF-terminated certificates and PKCS#8 RSA 2048 keys', () => {
	for (const pair of [ca, server, alice, web]) {
		assert.match(pair.certificatePem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z\d+/=\n]+-----END CERTIFICATE-----\n$/);
		assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
		assert.ok(!pair.certificatePem.includes('\r'));
		const x509 = new X509Certificate(pair.certificatePem);
		assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, RSA_BITS);
		assert.equal(pair.fingerprint, x509.fingerprint256);
		assert.equal(certificateFingerprint(pair.certificatePem), pair.fingerprint);
	}
});

test('serials are random, positive, 16 bytes; a given serial is kept and stays positive', () => {
	for (const pair of [ca, server, alice, mallory, web]) {
		assert.match(pair.serial, /^[4-7][\da-f]{31}$/);
		assert.equal(new X509Certificate(pair.certificatePem).serialNumber.toLowerCase(), pair.serial);
	}

	assert.equal(new Set([ca, server, alice, mallory, web].map(pair => pair.serial)).size, 5);
	assert.equal(fixedSerial.serial, 'ff01');
});

test('keyUsageSummary reads back the profile of each certificate', () => {
	assert.deepEqual(keyUsageSummary(ca.certificatePem), {
		ca: true,
		keyUsage: ['keyCertSign', 'cRLSign'],
		extendedKeyUsage: [],
		remoteCertTls: [],
		text: 'CA:TRUE keyUsage=keyCertSign,cRLSign extendedKeyUsage=none',
	});
	assert.deepEqual(keyUsageSummary(server.certificatePem), {
		ca: false,
		keyUsage: ['digitalSignature', 'keyEncipherment'],
		extendedKeyUsage: ['serverAuth'],
		remoteCertTls: ['server'],
		text: 'CA:FALSE keyUsage=digitalSignature,keyEncipherment extendedKeyUsage=serverAuth',
	});
	assert.deepEqual(keyUsageSummary(alice.certificatePem).remoteCertTls, ['client']);
	assert.equal(keyUsageSummary(alice.certificatePem).text, 'CA:FALSE keyUsage=digitalSignature extendedKeyUsage=clientAuth');
	assert.deepEqual(keyUsageSummary(web.certificatePem).remoteCertTls, ['server']);
});

test('openssl verify -CAfile accepts issued certificates, for their purpose only', async t => {
	const cases: Array<[string, string, boolean]> = [
		['server.crt', 'sslserver', true],
		['alice.crt', 'sslclient', true],
		['fixedSerial.crt', 'sslclient', true],
		['alice.crt', 'sslserver', false],
		['server.crt', 'sslclient', false],
	];
	for (const [name, purpose, ok] of cases) {
		const result = await openssl(t, 'verify', '-x509_strict', '-purpose', purpose, '-CAfile', file('ca.crt'), file(name));
		if (result === undefined) {
			return;
		}

		assert.equal(result.code === 0, ok, `${name} as ${purpose}: ${result.stdout}${result.stderr}`);
		if (!ok) {
			assert.match(result.stdout + result.stderr, /unsuitable certificate purpose/);
		}
	}
});

test('openssl shows the extensions PITFALLS §6 requires', async t => {
	const extensions = 'basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier';
	const tool = requireTool(t, 'openssl', 'openssl');
	if (tool === undefined) {
		return;
	}

	const show = async (name: string) => {
		const result = await run(tool, ['x509', '-noout', '-ext', extensions, '-in', file(name)]);
		assert.equal(result.code, 0, result.stderr);
		return result.stdout;
	};

	const caText = await show('ca.crt');

	assert.match(caText, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
	assert.match(caText, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
	assert.doesNotMatch(caText, /Extended Key Usage/);
	const caKeyId = /Subject Key Identifier: \n\s+([\dA-F:]+)\n/.exec(caText)?.[1];
	assert.ok(caKeyId);
	assert.match(caText, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${caKeyId}\\n`));

	const serverText = await show('server.crt');
	assert.match(serverText, /X509v3 Basic Constraints: \n\s+CA:FALSE\n/);
	assert.match(serverText, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
	assert.match(serverText, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
	assert.match(serverText, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${caKeyId}\\n`));

	const clientText = await show('alice.crt');
	assert.match(clientText, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
	assert.match(clientText, /X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
	assert.match(clientText, /Subject Key Identifier/);

	const subject = await openssl(t, 'x509', '-noout', '-subject', '-issuer', '-serial', '-in', file('mallory.crt'));
	assert.match(subject?.stdout ?? '', /^subject=CN = mallory_laptop@home\nissuer=CN = Waymark test CA\nserial=[4-7][\dA-F]{31}\n$/);
	const fixed = await openssl(t, 'x509', '-noout', '-serial', '-in', file('fixedSerial.crt'));
	assert.equal(fixed?.stdout, 'serial=FF01\n');
});

test('fingerprints equal openssl x509 -fingerprint -sha256', async t => {
	for (const [name, pair] of [
		['server.crt', server],
		['web.crt', web],
	] as const) {
		const result = await openssl(t, 'x509', '-noout', '-fingerprint', '-sha256', '-in', file(name));
		if (result === undefined) {
			return;
		}

		assert.equal(result.stdout.trim().replace(/^sha256 Fingerprint=/i, ''), pair.fingerprint);
	}
});

test('a server certificate defaults its subjectAltName to a host-name CN', async t => {
	const result = await openssl(t, 'x509', '-noout', '-ext', 'subjectAltName', '-in', file('server.crt'));
	if (result === undefined) {
		return;
	}

	assert.match(result.stdout, /X509v3 Subject Alternative Name: \n\s+DNS:vpn\.example\.org\n/);
	const client = await openssl(t, 'x509', '-noout', '-ext', 'subjectAltName', '-in', file('alice.crt'));
	assert.equal(client?.stdout, '', 'a client certificate gets no subjectAltName');
});

test('the self-signed HTTPS certificate carries DNS and IP names and verifies for them', async t => {
	const names = await openssl(t, 'x509', '-noout', '-ext', 'subjectAltName,basicConstraints', '-in', file('web.crt'));
	if (names === undefined) {
		return;
	}

	assert.match(names.stdout, /DNS:example\.org, DNS:\*\.example\.org, IP Address:192\.0\.2\.10, IP Address:2001:DB8:0:0:0:0:0:10/);
	assert.match(names.stdout, /CA:FALSE/);
	const verify = (...extra: string[]) => openssl(t, 'verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', file('web.crt'), ...extra, file('web.crt'));
	assert.equal((await verify())?.code, 0);
	assert.equal((await verify('-verify_hostname', 'www.example.org'))?.code, 0);
	assert.equal((await verify('-verify_ip', '2001:db8:0::10'))?.code, 0);
	assert.equal((await verify('-verify_ip', '192.0.2.10'))?.code, 0);
	const wrongHost = await verify('-verify_hostname', 'example.com');
	assert.notEqual(wrongHost?.code, 0);
	assert.match((wrongHost?.stdout ?? '') + (wrongHost?.stderr ?? ''), /hostname mismatch/);
});

test('createCrl: openssl reads it, checks its signature and lists the revoked serial', async t => {
	const crl = createCrl(ca, {revoked: [{serial: mallory.serial, date: new Date(Date.now() - DAY)}], nextUpdateDays: 30});
	const crlFile = await tmp.write('crl.pem', crl);
	const text = await openssl(t, 'crl', '-in', crlFile, '-noout', '-text');
	if (text === undefined) {
		return;
	}

	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /Version 2 \(0x1\)/);
	assert.match(text.stdout, /Signature Algorithm: sha256WithRSAEncryption/);
	assert.match(text.stdout, /Issuer: CN = Waymark test CA/);
	assert.match(text.stdout, /X509v3 CRL Number: \n\s+\d+/);
	assert.match(text.stdout, /X509v3 Authority Key Identifier/);
	assert.match(text.stdout, new RegExp(`Serial Number: ${mallory.serial.toUpperCase()}\\n\\s+Revocation Date: `));
	assert.doesNotMatch(text.stdout, new RegExp(alice.serial.toUpperCase()));

	// openssl crl -CAfile checks the signature but exits 0 either way: read its message.
	const signature = await openssl(t, 'crl', '-in', crlFile, '-noout', '-CAfile', file('ca.crt'));
	assert.match((signature?.stdout ?? '') + (signature?.stderr ?? ''), /verify OK/);

	const next = await openssl(t, 'crl', '-in', crlFile, '-noout', '-nextupdate');
	const nextUpdate = new Date(/nextUpdate=(.*)/.exec(next?.stdout ?? '')?.[1] ?? '');
	assert.ok(Math.abs(nextUpdate.getTime() - (Date.now() + 30 * DAY)) < 60_000, next?.stdout);
});

test('openssl verify -crl_check accepts a valid certificate and rejects the revoked one', async t => {
	const crlFile = await tmp.write('crl-check.pem', createCrl(ca, {revoked: [{serial: mallory.serial, date: new Date()}], nextUpdateDays: 30}));
	const check = (name: string) => openssl(t, 'verify', '-x509_strict', '-crl_check', '-CAfile', file('ca.crt'), '-CRLfile', crlFile, file(name));
	const good = await check('alice.crt');
	if (good === undefined) {
		return;
	}

	assert.equal(good.code, 0, good.stdout + good.stderr);
	assert.equal((await check('server.crt'))?.code, 0);
	const revoked = await check('mallory.crt');
	assert.notEqual(revoked?.code, 0);
	assert.match((revoked?.stdout ?? '') + (revoked?.stderr ?? ''), /error 23 at 0 depth lookup: certificate revoked/);
});

test('an empty CRL is valid and revokes nothing', async t => {
	const crl = createCrl(ca, {revoked: [], nextUpdateDays: 7});
	const crlFile = await tmp.write('crl-empty.pem', crl);
	const text = await openssl(t, 'crl', '-in', crlFile, '-noout', '-text');
	if (text === undefined) {
		return;
	}

	assert.match(text.stdout, /No Revoked Certificates/);
	const result = await openssl(t, 'verify', '-crl_check', '-CAfile', file('ca.crt'), '-CRLfile', crlFile, file('mallory.crt'));
	assert.equal(result?.code, 0, result?.stdout);
	assert.deepEqual(readCrl(crl).revoked, []);
});

test('a CRL past its nextUpdate makes openssl reject even valid certificates (the OpenVPN pitfall)', async t => {
	const crlFile = await tmp.write('crl-expired.pem', createCrl(ca, {revoked: [], nextUpdateDays: 1, now: new Date(Date.now() - 3 * DAY)}));
	const result = await openssl(t, 'verify', '-crl_check', '-CAfile', file('ca.crt'), '-CRLfile', crlFile, file('alice.crt'));
	if (result === undefined) {
		return;
	}

	assert.notEqual(result.code, 0);
	assert.match(result.stdout + result.stderr, /CRL has expired/);
});

test('a CRL signed by another CA is refused by openssl', async t => {
	const other = await createCa({commonName: 'Waymark test CA', days: 30});
	const crlFile = await tmp.write('crl-other.pem', createCrl(other, {revoked: [], nextUpdateDays: 7}));
	const result = await openssl(t, 'crl', '-in', crlFile, '-noout', '-CAfile', file('ca.crt'));
	if (result === undefined) {
		return;
	}

	// openssl crl exits 0 either way; only its message tells.
	assert.match(result.stdout + result.stderr, /verify failure/);
	assert.doesNotMatch(result.stdout + result.stderr, /verify OK/);
	const check = await openssl(t, 'verify', '-crl_check', '-CAfile', file('ca.crt'), '-CRLfile', crlFile, file('alice.crt'));
	assert.notEqual(check?.code, 0);
	assert.match((check?.stdout ?? '') + (check?.stderr ?? ''), /unable to get certificate CRL/);
});

// Issued just before 2050, next update after: one UTCTime and one GeneralizedTime in the same CRL.
function crl2050(): {crl: string; revoked: Array<{serial: string; date: Date}>} {
	const now = new Date('2049-12-20T10:00:00.750Z');
	const revoked = [
		{serial: alice.serial, date: new Date('2049-12-01T00:00:00Z')},
		{serial: '00:FF:01', date: new Date('2049-12-02T00:00:00Z')},
	];
	return {crl: createCrl(ca, {revoked, nextUpdateDays: 30, now, crlNumber: 2n ** 70n}), revoked};
}

test('readCrl round-trips what createCrl wrote, with GeneralizedTime from 2050 on', () => {
	const {crl, revoked} = crl2050();
	assert.deepEqual(readCrl(crl), {
		thisUpdate: new Date('2049-12-20T09:00:00Z'),
		nextUpdate: new Date('2050-01-19T10:00:00Z'),
		crlNumber: 2n ** 70n,
		revoked: [
			{serial: alice.serial, date: revoked[0]?.date},
			{serial: 'ff01', date: revoked[1]?.date},
		],
	});
});

test('openssl reads the GeneralizedTime nextUpdate of a CRL that crosses 2050', async t => {
	const text = await openssl(t, 'crl', '-in', await tmp.write('crl-2050.pem', crl2050().crl), '-noout', '-text');
	if (text === undefined) {
		return;
	}

	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /Last Update: Dec 20 09:00:00 2049 GMT/);
	assert.match(text.stdout, /Next Update: Jan 19 10:00:00 2050 GMT/);
	assert.match(text.stdout, /Serial Number: FF01/);
});

test('bad input is refused with a clear message', async () => {
	await assert.rejects(createCa({commonName: '', days: 10}), /common name must be 1 to 64 characters/);
	await assert.rejects(createCa({commonName: 'x'.repeat(65), days: 10}), KeyFormatError);
	await assert.rejects(createCa({commonName: 'a\nb', days: 10}), KeyFormatError);
	await assert.rejects(createCa({commonName: 'ca', days: 0}), /days must be a whole number/);
	await assert.rejects(createCa({commonName: 'ca', days: 1.5}), KeyFormatError);
	await assert.rejects(selfSigned({commonName: 'web', kind: 'server', days: 1, altNames: ['bad name']}), /neither a DNS name nor an IP address/);
	await assert.rejects(issueCertificate(ca, {commonName: 'x', kind: 'client', days: 1, serial: 'xyz'}), /positive hex number/);
	await assert.rejects(issueCertificate(ca, {commonName: 'x', kind: 'client', days: 1, serial: '0'}), /positive hex number/);
	await assert.rejects(
		issueCertificate({certificatePem: ca.certificatePem, privateKeyPem: alice.privateKeyPem}, {commonName: 'x', kind: 'client', days: 1}),
		/does not belong/,
	);
	await assert.rejects(selfSigned({commonName: 'web', kind: 'server', days: 1, altNames: ['fe80::1%eth0']}), /neither a DNS name nor an IP address/);
	await assert.rejects(issueCertificate(alice, {commonName: 'x', kind: 'client', days: 1}), /the issuer is not a CA allowed to sign certificates \(CA:FALSE/);
	assert.throws(() => createCrl(web, {revoked: [], nextUpdateDays: 1}), /not a CA allowed to sign CRLs/);
	assert.throws(() => createCrl(ca, {revoked: [], nextUpdateDays: 0}), /nextUpdateDays/);
	assert.throws(
		() =>
			createCrl(ca, {
				revoked: [
					{serial: 'ab', date: new Date()},
					{serial: '00AB', date: new Date()},
				],
				nextUpdateDays: 1,
			}),
		/listed twice/,
	);
	assert.throws(() => createCrl(ca, {revoked: [{serial: 'ab', date: new Date('nope')}], nextUpdateDays: 1}), /not a valid date/);
	assert.throws(() => certificateFingerprint('nope'), KeyFormatError);
	assert.throws(() => readCrl('nope'), KeyFormatError);
});
