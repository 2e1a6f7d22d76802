import assert from 'node:assert/strict';
import {before, test} from 'node:test';
import {createCa, createCrl, selfSigned} from '../../../source/keys/pki.js';
import {certificateExpiryCheck, crlExpiryCheck} from '../../../wizards/common/expiry.js';

const now = new Date('2026-06-01T00:00:00Z');
let certificate = '';
let crl = '';
let ca: Awaited<ReturnType<typeof createCa>>;

before(async () => {
	// Valid from 2026-05-01 for 60 days: until 2026-06-30.
	certificate = (await selfSigned({commonName: 'node1.example.test', kind: 'server', days: 60, now: new Date('2026-05-01T00:00:00Z')})).certificatePem;
	ca = await createCa({commonName: 'Project CA', days: 365, now: new Date('2026-05-01T00:00:00Z')});
	crl = createCrl(ca, {revoked: [], nextUpdateDays: 40, now: new Date('2026-05-01T00:00:00Z')});
});

test('a certificate passes with more than 30 days left, warns within 30, fails once expired', () => {
	assert.equal(certificateExpiryCheck('c', 'cert', certificate, new Date('2026-05-15T00:00:00Z')).status, 'pass');
	const soon = certificateExpiryCheck('c', 'cert', certificate, now);
	assert.equal(soon.status, 'warn');
	assert.match(soon.evidence, /^expires 2026-06-30 \(in 29 day\(s\)\)$/);
	const gone = certificateExpiryCheck('c', 'cert', certificate, new Date('2026-08-01T00:00:00Z'));
	assert.equal(gone.status, 'fail');
	assert.match(gone.evidence, /day\(s\) ago/);
	assert.equal(certificateExpiryCheck('c', 'cert', 'not a certificate').status, 'fail');
});

test('a CRL past its next update fails: OpenVPN would reject every client', () => {
	assert.equal(crlExpiryCheck('r', 'crl', crl, new Date('2026-05-02T00:00:00Z')).status, 'pass');
	assert.equal(crlExpiryCheck('r', 'crl', crl, now).status, 'warn');
	// The default 30-day CRL passes until half its life, when the wizard signs it again, then warns.
	const monthly = createCrl(ca, {revoked: [], nextUpdateDays: 30, now: new Date('2026-05-01T00:00:00Z')});
	assert.equal(crlExpiryCheck('r', 'crl', monthly, new Date('2026-05-01T00:00:00Z')).status, 'pass');
	assert.equal(crlExpiryCheck('r', 'crl', monthly, new Date('2026-05-20T00:00:00Z')).status, 'warn');
	const expired = crlExpiryCheck('r', 'crl', crl, new Date('2026-07-01T00:00:00Z'));
	assert.equal(expired.status, 'fail');
	assert.match(expired.reason, /rejects every client/);
});

test('cloudpipe: an expired CRL, an expired server certificate and a stopped VPN are each named by `check`', async () => {
	const {cloudpipe} = await import('../../../wizards/cloudpipe/index.js');
	const {context, facts, step} = await import('../step-harness.js');
	const vpn = step(cloudpipe, 'vpn-user-data');
	const ctx = context(cloudpipe, {publicIp: '198.51.100.1', vpnIp: '10.0.0.2', vault: '/tmp/waymark-test-vault'});
	const expiredCertificate = (await selfSigned({commonName: 'vpn', kind: 'server', days: 1, now: new Date('2020-01-01T00:00:00Z')})).certificatePem;
	ca = await createCa({commonName: 'Old CA', days: 3650, now: new Date('2020-01-01T00:00:00Z')});
	const expiredCrl = createCrl(ca, {revoked: [], nextUpdateDays: 30, now: new Date('2020-01-01T00:00:00Z')});
	const checks = vpn.verify!(ctx, facts({crl: expiredCrl, certificate: expiredCertificate, running: 'stopped\n', seed: null}));
	assert.deepEqual(
		checks.map(check => `${check.id} ${check.status}`),
		['cloudpipe-crl-expiry fail', 'cloudpipe-server-expiry fail', 'cloudpipe-running fail'],
	);
});
