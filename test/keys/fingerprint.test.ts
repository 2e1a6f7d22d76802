import {test} from 'node:test';
import assert from 'node:assert/strict';
import {colonHex, sha256, sha256Base64, sha256Colon, sha256Hex, shortFingerprint} from '../../source/keys/fingerprint.js';

// FIPS 180-2 test vector for "abc".
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

test('sha256 and sha256Hex match the published vector', () => {
	assert.equal(sha256Hex('abc'), ABC_HEX);
	assert.equal(sha256(new TextEncoder().encode('abc')).toString('hex'), ABC_HEX);
});

test('sha256Colon prints uppercase colon pairs like openssl', () => {
	assert.equal(sha256Colon('abc'), ABC_HEX.toUpperCase().match(/../g)?.join(':'));
	assert.equal(colonHex(Uint8Array.of(0, 10, 255)), '00:0A:FF');
});

test('sha256Base64 drops the padding, as OpenSSH does', () => {
	assert.equal(sha256Base64('abc'), 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0');
});

test('shortFingerprint is labelled, 16 hex characters, stable, and text is hashed as UTF-8', () => {
	assert.equal(shortFingerprint('abc'), `sha256:${ABC_HEX.slice(0, 16)}`);
	assert.equal(shortFingerprint('é'), shortFingerprint(Buffer.from('é', 'utf8')));
	assert.notEqual(shortFingerprint('abc'), shortFingerprint('abd'));
});
