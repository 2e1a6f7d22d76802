import {after, before, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {KeyFormatError} from '../../source/keys/key-format-error.js';
import {STATIC_KEY_BYTES, formatStaticKey, generateStaticKey, parseStaticKey, staticKeyFingerprint, tlsCryptKey} from '../../source/keys/openvpn-static-key.js';
import {makeTempDir, requireTool, run, type TempDir} from './real-tools.js';

let tmp: TempDir;
before(async () => {
	tmp = await makeTempDir();
});
after(async () => {
	await tmp.remove();
});

// The file with every hex line replaced, to compare layouts regardless of the random bytes.
function shape(text: string): string {
	return text.replace(/^[\da-f]{32}$/gm, 'HEX');
}

test('generateStaticKey writes the exact openvpn --genkey layout', () => {
	const text = generateStaticKey();
	const lines = text.split('\n');
	assert.deepEqual(lines.slice(0, 4), ['#', '# 2048 bit OpenVPN static key', '#', '-----BEGIN OpenVPN Static key V1-----']);
	assert.equal(lines.slice(4, 20).filter(line => /^[\da-f]{32}$/.test(line)).length, 16);
	assert.equal(lines[20], '-----END OpenVPN Static key V1-----');
	assert.equal(lines[21], '');
	assert.equal(lines.length, 22);
	assert.ok(text.endsWith('-----\n'));
});

test('keys are random and round-trip through parseStaticKey', () => {
	const bytes = randomBytes(STATIC_KEY_BYTES);
	const text = formatStaticKey(bytes);
	assert.deepEqual(parseStaticKey(text), bytes);
	assert.notEqual(generateStaticKey(), generateStaticKey());
	assert.equal(parseStaticKey(generateStaticKey()).length, 256);
	assert.equal(parseStaticKey(tlsCryptKey()).length, 256);
});

test('parseStaticKey accepts CRLF, uppercase hex and text around the block, as OpenVPN does', () => {
	const bytes = randomBytes(STATIC_KEY_BYTES);
	const text = formatStaticKey(bytes);
	assert.deepEqual(parseStaticKey(text.replaceAll('\n', '\r\n')), bytes);
	assert.deepEqual(parseStaticKey(text.replace(/^[\da-f]{32}$/gm, line => line.toUpperCase())), bytes);
	assert.deepEqual(parseStaticKey(`<tls-crypt>\n${text}</tls-crypt>\n`), bytes);
});

test('parseStaticKey rejects damaged keys with a clear message that quotes no key material', () => {
	const text = generateStaticKey();
	const lines = text.split('\n');
	const secretLine = lines[6] ?? '';
	const cases: Array<[string, RegExp, number | undefined]> = [
		['', /no "-----BEGIN OpenVPN Static key V1-----" line/, undefined],
		[lines.slice(0, 12).join('\n'), /no "-----END OpenVPN Static key V1-----" line/, undefined],
		[text.replace(secretLine, `${secretLine.slice(0, 31)}z`), /line 7 holds a character that is not a hex digit/, 7],
		[text.replace(`${secretLine}\n`, ''), /found 240 bytes .* expected 256/, undefined],
		[text.replace(secretLine, `${secretLine}ab`), /found 257 bytes/, undefined],
		[text.replace(secretLine, `${secretLine}a`), /found 256\.5 bytes/, undefined],
	];
	for (const [input, message, line] of cases) {
		assert.throws(
			() => parseStaticKey(input),
			(error: unknown) => {
				assert.ok(error instanceof KeyFormatError);
				assert.match(error.message, /^OpenVPN static key: /);
				assert.match(error.message, message);
				assert.equal(error.line, line);
				assert.ok(!error.message.includes(secretLine.slice(0, 8)), 'the message must not quote the key');
				return true;
			},
		);
	}

	assert.throws(() => formatStaticKey(new Uint8Array(255)), KeyFormatError);
});

test('staticKeyFingerprint is short, labelled and stable', () => {
	const text = generateStaticKey();
	assert.match(staticKeyFingerprint(text), /^sha256:[\da-f]{16}$/);
	assert.equal(staticKeyFingerprint(text), staticKeyFingerprint(text.replaceAll('\n', '\r\n')));
});

test('the layout equals what the real openvpn --genkey writes, for secret and tls-crypt keys', async t => {
	const openvpn = requireTool(t, 'openvpn', 'openvpn');
	if (openvpn === undefined) {
		return;
	}

	for (const kind of ['secret', 'tls-crypt', 'tls-auth']) {
		const file = join(tmp.path, `genkey-${kind}.key`);
		const result = await run(openvpn, ['--genkey', kind, file]);
		assert.equal(result.code, 0, result.stderr);
		const real = await readFile(file, 'utf8');
		assert.equal(shape(generateStaticKey()), shape(real), `openvpn --genkey ${kind}`);
		assert.equal(shape(tlsCryptKey()), shape(real));
		assert.equal(parseStaticKey(real).length, STATIC_KEY_BYTES);
	}
});

// --test-crypto loads the key, derives both directions and round-trips packets; at verb 7 it prints the keys it loaded.
async function openvpnLoads(t: TestContext, text: string, name: string): Promise<void> {
	const openvpn = requireTool(t, 'openvpn', 'openvpn');
	if (openvpn === undefined) {
		return;
	}

	const file = await tmp.write(name, text);
	const result = await run(openvpn, ['--test-crypto', '--secret', file, '--cipher', 'AES-256-CBC', '--auth', 'SHA256', '--verb', '7']);
	const log = result.stdout + result.stderr;
	assert.equal(result.code, 0, log.slice(-2000));
	assert.match(log, /crypto self-test mode SUCCEEDED/);
	// Without a key direction, both directions use slot 0: cipher key = bytes 0..31, HMAC key = bytes 64..95.
	const bytes = parseStaticKey(text);
	const grouped = (from: number, to: number) => bytes.subarray(from, to).toString('hex').match(/.{8}/g)?.join(' ');
	assert.ok(log.includes(`Outgoing Static Key Encryption: CIPHER KEY: ${grouped(0, 32)}`), 'openvpn loaded other cipher key bytes');
	assert.ok(log.includes(`Outgoing Static Key Encryption: HMAC KEY: ${grouped(64, 96)}`), 'openvpn loaded other HMAC key bytes');
}

test('the real openvpn loads a generated static key and uses exactly its bytes', async t => {
	await openvpnLoads(t, generateStaticKey(), 'static.key');
});

test('the real openvpn loads a generated tls-crypt key', async t => {
	await openvpnLoads(t, tlsCryptKey(), 'tls-crypt.key');
});

test('the real openvpn rejects a damaged key that parseStaticKey also rejects', async t => {
	const openvpn = requireTool(t, 'openvpn', 'openvpn');
	if (openvpn === undefined) {
		return;
	}

	const damaged = generateStaticKey().replace(/^([\da-f]{31})[\da-f]$/m, '$1z');
	assert.throws(() => parseStaticKey(damaged), KeyFormatError);
	const file = await tmp.write('damaged.key', damaged);
	const result = await run(openvpn, ['--test-crypto', '--secret', file, '--cipher', 'AES-256-CBC', '--auth', 'SHA256']);
	assert.notEqual(result.code, 0);
	assert.match(result.stdout + result.stderr, /Non-Hex character/);
});
