// The hourly CRL refresh (cloudpipe-fetch --crl-only) run for real: sh, curl on a file:// metadata URL, base64,
// unzip and openssl, on a payload like the one the wizard writes. It takes the metadata service's newer CRL, never
// the first boot's seed, refuses one signed by another CA of the same name, which `openssl crl` lets through
// with exit 0, and refuses an older one of the right CA, which would take a revocation back.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {loadAsset, renderTemplate} from '../../../source/engine/assets.js';
import {createCa, createCrl, readCrl} from '../../../source/keys/pki.js';
import {quote} from '../../../source/targets/quote.js';
import {base64Lines, zipArchive} from '../../../wizards/cloudpipe/zip-archive.js';

const dir = mkdtempSync(join(tmpdir(), 'waymark-crl-'));
after(() => {
	rmSync(dir, {recursive: true, force: true});
});

const server = join(dir, 'etc/openvpn/server/cloudpipe');
mkdirSync(server, {recursive: true});
const ca = await createCa({commonName: 'cloudpipe-demo CA', days: 30});
// Another CA with the very same name: only its key differs.
const impostor = await createCa({commonName: 'cloudpipe-demo CA', days: 30});
writeFileSync(join(server, 'ca.crt'), ca.certificatePem);
const installed = createCrl(ca, {revoked: [], nextUpdateDays: 30, crlNumber: 1n});
writeFileSync(join(server, 'crl.pem'), installed);

/** The payload a metadata service serves: base64 of a zip holding crl.pem. */
function serve(crl: string): string {
	const file = join(dir, 'user-data');
	writeFileSync(file, base64Lines(zipArchive([{name: 'crl.pem', content: crl}])));
	return `file://${file}`;
}

/** The rendered script with its fixed paths moved under the test's directory, run with --crl-only. */
function refresh(url: string, seed: string): {status: number | null; stderr: string} {
	const script = renderTemplate(loadAsset('openvpn/cloudpipe-fetch.sh'), {header: '# test', seed: quote(seed), url: quote(url)}).replaceAll(
		'/etc/openvpn/server/cloudpipe/',
		`${server}/`,
	);
	const result = spawnSync('sh', ['-c', script, 'cloudpipe-fetch', '--crl-only'], {encoding: 'utf8'});
	return {status: result.status, stderr: result.stderr};
}

test('a newer CRL signed by the server’s CA replaces the installed one, though a seed from the first boot is there', () => {
	const seed = join(dir, 'seed.b64');
	writeFileSync(seed, base64Lines(zipArchive([{name: 'crl.pem', content: installed}])));
	const newer = createCrl(ca, {revoked: [{serial: '0a', date: new Date()}], nextUpdateDays: 30, crlNumber: 2n});
	const result = refresh(serve(newer), seed);
	assert.equal(result.status, 0, result.stderr);
	assert.equal(readFileSync(join(server, 'crl.pem'), 'utf8'), newer);
	assert.equal(readCrl(readFileSync(join(server, 'crl.pem'), 'utf8')).revoked.length, 1);
});

test('an older CRL of the same CA (a stale or replayed payload) is refused: it would take a revocation back', () => {
	const before = readFileSync(join(server, 'crl.pem'), 'utf8');
	assert.equal(readCrl(before).crlNumber, 2n, 'the newer CRL of the first test is in place');
	const result = refresh(serve(installed), join(dir, 'no-seed'));
	assert.equal(result.status, 1);
	assert.match(result.stderr, /the fetched CRL \(number 1\) is older than the one in place \(2\); the CRL in place is kept/);
	assert.equal(readFileSync(join(server, 'crl.pem'), 'utf8'), before);
});

test('the same CRL again is no change, and exits 0', () => {
	const before = readFileSync(join(server, 'crl.pem'), 'utf8');
	const result = refresh(serve(before), join(dir, 'no-seed'));
	assert.equal(result.status, 0, result.stderr);
	assert.equal(readFileSync(join(server, 'crl.pem'), 'utf8'), before);
});

test('a CRL signed by another CA of the same name is refused with the reason, and the installed one stays', () => {
	const before = readFileSync(join(server, 'crl.pem'), 'utf8');
	const forged = createCrl(impostor, {revoked: [], nextUpdateDays: 30, crlNumber: 3n});
	const result = refresh(serve(forged), join(dir, 'no-seed'));
	assert.equal(result.status, 1);
	assert.match(result.stderr, /the fetched CRL is not signed by this server's CA \(verify failure\); the CRL in place is kept/);
	assert.equal(readFileSync(join(server, 'crl.pem'), 'utf8'), before);
});

test('a metadata service that does not answer: it says so and keeps the CRL', () => {
	const before = readFileSync(join(server, 'crl.pem'), 'utf8');
	const result = refresh(`file://${join(dir, 'nothing-here')}`, join(dir, 'no-seed'));
	assert.equal(result.status, 1);
	assert.match(result.stderr, /could not fetch .*nothing-here; the CRL in place is kept/);
	assert.equal(readFileSync(join(server, 'crl.pem'), 'utf8'), before);
});
