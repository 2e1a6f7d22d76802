import {test} from 'node:test';
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {KeyFormatError} from '../../source/keys/key-format-error.js';
import {
	clampWireguardKey,
	generateWireguardKeyPair,
	generateWireguardPresharedKey,
	generateWireguardPrivateKey,
	isWireguardKey,
	wireguardPublicKey,
} from '../../source/keys/wireguard.js';
import {requireTool, run} from './real-tools.js';

test("RFC 7748 §6.1 vector: Alice's public key", () => {
	const alice = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex').toString('base64');
	const expected = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex').toString('base64');
	assert.equal(wireguardPublicKey(alice), expected);
});

test('private keys are 32 clamped bytes in base64, like wg genkey', () => {
	for (let index = 0; index < 50; index++) {
		const key = generateWireguardPrivateKey();
		assert.ok(isWireguardKey(key), key.length.toString());
		const bytes = Buffer.from(key, 'base64');
		assert.equal(bytes.length, 32);
		assert.equal((bytes[0] ?? 0) & 7, 0);
		assert.equal((bytes[31] ?? 0) & 0xc0, 0x40);
	}

	assert.notEqual(generateWireguardPrivateKey(), generateWireguardPrivateKey());
});

test('clamping touches only the fixed bits and does not change the public key', () => {
	const raw = Buffer.alloc(32, 0xff);
	const clamped = clampWireguardKey(raw);
	assert.equal(clamped[0], 0xf8);
	assert.equal(clamped[31], 0x7f);
	assert.equal(raw[0], 0xff, 'the input is not modified');
	const random = randomBytes(32);
	assert.equal(wireguardPublicKey(random.toString('base64')), wireguardPublicKey(clampWireguardKey(random).toString('base64')));
	assert.throws(() => clampWireguardKey(new Uint8Array(31)), KeyFormatError);
});

test('malformed keys are refused with the expected form in the message', () => {
	const key = generateWireguardPrivateKey();
	for (const bad of ['', key.slice(0, 43), `${key}=`, key.replace(/.=$/, 'B='), Buffer.alloc(33).toString('base64'), key.replaceAll('=', '')]) {
		assert.throws(() => wireguardPublicKey(bad), /WireGuard key: the private key must be 44 characters of base64/);
	}

	assert.equal(wireguardPublicKey(`  ${key}\n`), wireguardPublicKey(key));
});

test('key pairs and preshared keys have the wg format', () => {
	const pair = generateWireguardKeyPair();
	assert.ok(isWireguardKey(pair.privateKey) && isWireguardKey(pair.publicKey));
	assert.equal(wireguardPublicKey(pair.privateKey), pair.publicKey);
	assert.ok(isWireguardKey(generateWireguardPresharedKey()));
	assert.notEqual(generateWireguardPresharedKey(), generateWireguardPresharedKey());
});

test('public keys equal what the real wg pubkey prints', async t => {
	const wg = requireTool(t, 'wg', 'wireguard-tools');
	if (wg === undefined) {
		return;
	}

	// Ours, wg's own, and unclamped random bytes (wg clamps when it computes, so must we).
	const genkey = await run(wg, ['genkey']);
	assert.equal(genkey.code, 0, genkey.stderr);
	const privateKeys = [
		...Array.from({length: 20}, () => generateWireguardPrivateKey()),
		genkey.stdout.trim(),
		...Array.from({length: 5}, () => randomBytes(32).toString('base64')),
	];
	for (const privateKey of privateKeys) {
		const result = await run(wg, ['pubkey'], {input: `${privateKey}\n`});
		assert.equal(result.code, 0, result.stderr);
		assert.equal(wireguardPublicKey(privateKey), result.stdout.trim());
	}

	// wg accepts our preshared keys as keys too.
	const psk = await run(wg, ['pubkey'], {input: `${generateWireguardPresharedKey()}\n`});
	assert.equal(psk.code, 0, psk.stderr);
});
