import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {KeyFormatError} from '../../source/keys/key-format-error.js';
import {generateSshKey, publicKeyBlob, sshFingerprint, type SshKeyPair, type SshKeyType} from '../../source/keys/ssh-key.js';
import {makeTempDir, requireTool, run, type TempDir} from './real-tools.js';

let tmp: TempDir;
const keys = new Map<SshKeyType, SshKeyPair>();
before(async () => {
	tmp = await makeTempDir();
	keys.set('ed25519', await generateSshKey({comment: 'deploy@waymark'}));
	keys.set('rsa', await generateSshKey({type: 'rsa', comment: 'deploy@waymark'}));
});
after(async () => {
	await tmp.remove();
});

function key(type: SshKeyType): SshKeyPair {
	const pair = keys.get(type);
	assert.ok(pair);
	return pair;
}

// A minimal reader for the container, to check the parts ssh-keygen does not show.
function readContainer(privateKey: string) {
	const lines = privateKey.split('\n');
	assert.equal(lines[0], '-----BEGIN OPENSSH PRIVATE KEY-----');
	assert.equal(lines.at(-2), '-----END OPENSSH PRIVATE KEY-----');
	assert.equal(lines.at(-1), '');
	const body = lines.slice(1, -2);
	assert.ok(
		body.slice(0, -1).every(line => line.length === 70),
		'base64 wrapped at 70 like ssh-keygen',
	);
	const data = Buffer.from(body.join(''), 'base64');
	let offset = 0;
	const string = () => {
		const length = data.readUInt32BE(offset);
		const value = data.subarray(offset + 4, offset + 4 + length);
		offset += 4 + length;
		return value;
	};

	assert.equal(data.subarray(0, 15).toString('latin1'), 'openssh-key-v1\0');
	offset = 15;
	const cipher = string().toString();
	const kdf = string().toString();
	const kdfOptions = string();
	const count = data.readUInt32BE(offset);
	offset += 4;
	const publicBlob = string();
	const section = string();
	assert.equal(offset, data.length);
	return {cipher, kdf, kdfOptions, count, publicBlob, section};
}

// The private section's fields, checked for internal consistency: OpenSSL would mask a wrong CRT value by recomputing.
function readPrivateFields(section: Buffer, type: SshKeyType): {comment: string; padding: Buffer} {
	let offset = 8;
	const string = () => {
		const length = section.readUInt32BE(offset);
		const value = section.subarray(offset + 4, offset + 4 + length);
		offset += 4 + length;
		return value;
	};
	const big = () => BigInt(`0x${string().toString('hex') || '0'}`);

	assert.equal(string().toString(), type === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa');
	if (type === 'ed25519') {
		const publicPoint = string();
		const secret = string();
		assert.equal(publicPoint.length, 32);
		assert.equal(secret.length, 64);
		assert.deepEqual(secret.subarray(32), publicPoint, 'the secret ends with the public point');
	} else {
		const [n, e, d, iqmp, p, q] = [big(), big(), big(), big(), big(), big()] as [bigint, bigint, bigint, bigint, bigint, bigint];
		assert.equal(p * q, n);
		assert.equal((iqmp * q) % p, 1n, 'iqmp is q⁻¹ mod p');
		const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
		const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
		assert.equal((e * d) % lambda, 1n);
	}

	const comment = string().toString();
	return {comment, padding: section.subarray(offset)};
}

for (const type of ['ed25519', 'rsa'] as const) {
	test(`${type}: public line, fingerprint and container are well formed`, () => {
		const pair = key(type);
		const algorithm = type === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa';
		assert.match(pair.publicKey, new RegExp(`^${algorithm} AAAA[A-Za-z\\d+/]+={0,2} deploy@waymark$`));
		assert.match(pair.fingerprint, /^SHA256:[A-Za-z\d+/]{43}$/);
		assert.equal(sshFingerprint(pair.publicKey), pair.fingerprint);
		const container = readContainer(pair.privateKey);
		assert.equal(container.cipher, 'none');
		assert.equal(container.kdf, 'none');
		assert.equal(container.kdfOptions.length, 0);
		assert.equal(container.count, 1);
		assert.deepEqual(container.publicBlob, publicKeyBlob(pair.publicKey));
		assert.equal(container.section.length % 8, 0);
		assert.deepEqual(container.section.subarray(0, 4), container.section.subarray(4, 8), 'check ints are equal');
		const fields = readPrivateFields(container.section, type);
		assert.equal(fields.comment, 'deploy@waymark');
		// Padding is 1, 2, 3, … after the comment.
		assert.deepEqual(
			[...fields.padding],
			Array.from({length: fields.padding.length}, (_, index) => index + 1),
		);
		assert.ok(fields.padding.length < 8);
	});

	test(`${type}: ssh-keygen -y reproduces the public key and -l prints the same fingerprint`, async t => {
		const sshKeygen = requireTool(t, 'ssh-keygen', 'openssh-client');
		if (sshKeygen === undefined) {
			return;
		}

		const pair = key(type);
		const file = await tmp.write(`id_${type}`, pair.privateKey);
		await tmp.write(`id_${type}.pub`, `${pair.publicKey}\n`);
		const derived = await run(sshKeygen, ['-y', '-f', file]);
		assert.equal(derived.code, 0, derived.stderr);
		assert.equal(derived.stdout.trim(), pair.publicKey);
		for (const input of [file, `${file}.pub`]) {
			const listed = await run(sshKeygen, ['-l', '-E', 'sha256', '-f', input]);
			assert.equal(listed.code, 0, listed.stderr);
			assert.equal(listed.stdout.split(' ')[1], pair.fingerprint);
			assert.match(listed.stdout, type === 'ed25519' ? /^256 .* deploy@waymark \(ED25519\)$/m : /^4096 .* deploy@waymark \(RSA\)$/m);
		}
	});

	test(`${type}: the private key signs and ssh-keygen -Y verify accepts the signature`, async t => {
		const sshKeygen = requireTool(t, 'ssh-keygen', 'openssh-client');
		if (sshKeygen === undefined) {
			return;
		}

		const pair = key(type);
		const file = await tmp.write(`sign_${type}`, pair.privateKey);
		const data = await tmp.write(`data_${type}`, 'waymark signs this\n');
		const signed = await run(sshKeygen, ['-Y', 'sign', '-f', file, '-n', 'file', data]);
		assert.equal(signed.code, 0, signed.stderr);
		const signers = await tmp.write(`signers_${type}`, `deploy@waymark ${pair.publicKey}\n`);
		const verified = await run(sshKeygen, ['-Y', 'verify', '-f', signers, '-I', 'deploy@waymark', '-n', 'file', '-s', `${data}.sig`], {
			input: 'waymark signs this\n',
		});
		assert.equal(verified.code, 0, verified.stderr + verified.stdout);
		assert.match(verified.stdout, /Good "file" signature for deploy@waymark/);
	});
}

test('a key without a comment has a two-word public line', async () => {
	const pair = await generateSshKey();
	assert.match(pair.publicKey, /^ssh-ed25519 \S+$/);
	assert.notEqual(pair.publicKey, key('ed25519').publicKey);
});

test('RSA sizes other than 4096 are refused unless 2048 to 16384 in steps of 1024', async () => {
	for (const bits of [1024, 2047, 2500, 32768]) {
		await assert.rejects(generateSshKey({type: 'rsa', bits}), KeyFormatError);
	}
});

test('a 2048-bit RSA key is 2048 bits to ssh-keygen', async t => {
	const sshKeygen = requireTool(t, 'ssh-keygen', 'openssh-client');
	if (sshKeygen === undefined) {
		return;
	}

	const pair = await generateSshKey({type: 'rsa', bits: 2048});
	const listed = await run(sshKeygen, ['-l', '-f', await tmp.write('id_rsa2048', pair.privateKey)]);
	assert.equal(listed.code, 0, listed.stderr);
	assert.match(listed.stdout, /^2048 SHA256:/);
});

test('comments with line breaks are refused', async () => {
	await assert.rejects(generateSshKey({comment: 'a\nssh-ed25519 AAAA injected'}), /one line/);
});

test('sshFingerprint reads authorized_keys lines with options and known_hosts lines', () => {
	const pair = key('ed25519');
	assert.equal(sshFingerprint(`restrict,port-forwarding,permitlisten="localhost:2222" ${pair.publicKey}`), pair.fingerprint);
	assert.equal(sshFingerprint(`host.example.org,192.0.2.1 ${pair.publicKey.split(' ').slice(0, 2).join(' ')}`), pair.fingerprint);
	assert.throws(() => sshFingerprint('not a key'), KeyFormatError);
	// The text says rsa but the blob is ed25519: a damaged or forged line.
	assert.throws(() => sshFingerprint(pair.publicKey.replace('ssh-ed25519', 'ssh-rsa')), /does not start with its algorithm name/);
});
