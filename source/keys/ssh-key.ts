// OpenSSH key pairs made with node:crypto, written in OpenSSH's own formats (PROTOCOL.key) without ssh-keygen.

import {generateKeyPair, randomBytes, type JsonWebKey} from 'node:crypto';
import {promisify} from 'node:util';
import {KeyFormatError} from './key-format-error.js';
import {sha256Base64} from './fingerprint.js';
import {pemEncode} from './pem.js';

/** Key algorithms offered: ed25519 everywhere OpenSSH ≥ 6.5 runs, RSA for older peers. */
export type SshKeyType = 'ed25519' | 'rsa';

/** What to generate. */
export interface SshKeyOptions {
	/** Defaults to `ed25519`. */
	readonly type?: SshKeyType;
	/** RSA modulus size, 2048 to 16384 in steps of 1024; defaults to 4096. Ignored for ed25519. */
	readonly bits?: number;
	/** The text after the key in the `.pub` line and inside the private key (`ssh-keygen -C`); one line. */
	readonly comment?: string;
}

/** A key pair in the files ssh reads. */
export interface SshKeyPair {
	/** The private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted, trailing newline); write it 0600. */
	readonly privateKey: string;
	/** The `.pub` / `authorized_keys` line, e.g. `ssh-ed25519 AAAA… comment`, without a newline. */
	readonly publicKey: string;
	/** `SHA256:…`, as `ssh-keygen -l` prints it. */
	readonly fingerprint: string;
}

const FORMAT = 'OpenSSH key';
const generateKeyPairAsync = promisify(generateKeyPair);
const AUTH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
// With cipher "none" the private section is padded to 8 bytes (PROTOCOL.key).
const BLOCK_SIZE = 8;
// ssh-keygen wraps the base64 body at 70 characters.
const PEM_LINE = 70;

/** Makes a new key pair; RSA runs in libuv's thread pool, so the UI stays live while a 4096-bit key is found. */
export async function generateSshKey(options: SshKeyOptions = {}): Promise<SshKeyPair> {
	const type = options.type ?? 'ed25519';
	const comment = checkComment(options.comment ?? '');
	const {publicBlob, privateFields} = type === 'ed25519' ? await ed25519Fields() : await rsaFields(checkBits(options.bits ?? 4096));
	const publicKey = `${type === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa'} ${publicBlob.toString('base64')}${comment === '' ? '' : ` ${comment}`}`;
	return {
		privateKey: openSshPrivateKey(publicBlob, privateFields, comment),
		publicKey,
		fingerprint: `SHA256:${sha256Base64(publicBlob)}`,
	};
}

/**
 * The SHA-256 fingerprint of a public key line (`.pub`, `authorized_keys` with or without options,
 * `known_hosts`), equal to what `ssh-keygen -l -f` prints: `SHA256:` and unpadded base64.
 */
export function sshFingerprint(publicKeyLine: string): string {
	return `SHA256:${sha256Base64(publicKeyBlob(publicKeyLine))}`;
}

/** The wire-format key blob in a public key line; its first field must name the same algorithm as the text. */
export function publicKeyBlob(publicKeyLine: string): Buffer {
	const words = publicKeyLine.trim().split(/\s+/);
	// The algorithm word is followed by the base64 blob; options or a known_hosts host list may come first.
	for (let index = 0; index + 1 < words.length; index++) {
		const algorithm = words[index] ?? '';
		const body = words[index + 1] ?? '';
		if (/^(ssh-|ecdsa-|sk-)[\w@.-]+$/.test(algorithm) && /^[A-Za-z\d+/]+={0,2}$/.test(body)) {
			const blob = Buffer.from(body, 'base64');
			const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
			if (length < 0 || 4 + length > blob.length || blob.subarray(4, 4 + length).toString('latin1') !== algorithm) {
				throw new KeyFormatError(FORMAT, `the key data does not start with its algorithm name "${algorithm}"; the line is damaged`);
			}

			return blob;
		}
	}

	throw new KeyFormatError(FORMAT, 'no "ssh-… AAAA…" key in the line; expected the contents of a .pub file');
}

// Wire encodings (RFC 4251 §5).
function uint32(value: number): Buffer {
	const buffer = Buffer.alloc(4);
	buffer.writeUInt32BE(value);
	return buffer;
}

function sshString(value: Uint8Array | string): Buffer {
	const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
	return Buffer.concat([uint32(bytes.length), bytes]);
}

// Positive big-endian integer: no leading zero bytes, but one zero byte when the top bit is set.
function mpint(unsigned: Uint8Array): Buffer {
	let start = 0;
	while (start < unsigned.length && unsigned[start] === 0) {
		start++;
	}

	const trimmed = Buffer.from(unsigned.subarray(start));
	return sshString((trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

interface KeyFields {
	/** The public key blob (algorithm name first). */
	readonly publicBlob: Buffer;
	/** The private key's fields as PROTOCOL.key lists them, algorithm name first, comment not included. */
	readonly privateFields: Buffer;
}

async function ed25519Fields(): Promise<KeyFields> {
	const {privateKey} = await generateKeyPairAsync('ed25519');
	const jwk = privateKey.export({format: 'jwk'});
	const seed = jwkBytes(jwk, 'd');
	const publicPoint = jwkBytes(jwk, 'x');
	return {
		publicBlob: Buffer.concat([sshString('ssh-ed25519'), sshString(publicPoint)]),
		// OpenSSH stores the 64-byte "secret key" of the ref10 API: seed followed by the public point.
		privateFields: Buffer.concat([sshString('ssh-ed25519'), sshString(publicPoint), sshString(Buffer.concat([seed, publicPoint]))]),
	};
}

async function rsaFields(bits: number): Promise<KeyFields> {
	const {privateKey} = await generateKeyPairAsync('rsa', {modulusLength: bits, publicExponent: 0x10001});
	const jwk = privateKey.export({format: 'jwk'});
	const [n, e, d, p, q, qi] = (['n', 'e', 'd', 'p', 'q', 'qi'] as const).map(name => jwkBytes(jwk, name)) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
	return {
		publicBlob: Buffer.concat([sshString('ssh-rsa'), mpint(e), mpint(n)]),
		// JWK's qi is q⁻¹ mod p, which is exactly OpenSSH's iqmp.
		privateFields: Buffer.concat([sshString('ssh-rsa'), mpint(n), mpint(e), mpint(d), mpint(qi), mpint(p), mpint(q)]),
	};
}

function jwkBytes(jwk: JsonWebKey, name: 'd' | 'x' | 'n' | 'e' | 'p' | 'q' | 'qi'): Buffer {
	const value = jwk[name];
	if (typeof value !== 'string') {
		throw new Error(`node:crypto exported a key without its "${name}" part`);
	}

	return Buffer.from(value, 'base64url');
}

// PROTOCOL.key: magic, cipher, kdf, kdf options, key count, public key, then the (unencrypted) private section.
function openSshPrivateKey(publicBlob: Buffer, privateFields: Buffer, comment: string): string {
	// Two equal check ints: with a cipher they detect a wrong passphrase; "none" still requires them.
	const check = randomBytes(4);
	const unpadded = Buffer.concat([check, check, privateFields, sshString(comment)]);
	const padLength = (BLOCK_SIZE - (unpadded.length % BLOCK_SIZE)) % BLOCK_SIZE;
	const padding = Buffer.from(Array.from({length: padLength}, (_, index) => index + 1));
	const container = Buffer.concat([
		AUTH_MAGIC,
		sshString('none'),
		sshString('none'),
		sshString(''),
		uint32(1),
		sshString(publicBlob),
		sshString(Buffer.concat([unpadded, padding])),
	]);
	return pemEncode('OPENSSH PRIVATE KEY', container, PEM_LINE);
}

function checkComment(comment: string): string {
	// A newline would split the .pub line; other control characters confuse authorized_keys parsers.
	if (/[\x00-\x1f\x7f]/.test(comment)) {
		throw new KeyFormatError(FORMAT, 'the comment must be one line without control characters');
	}

	return comment.trim();
}

function checkBits(bits: number): number {
	if (!Number.isInteger(bits) || bits < 2048 || bits > 16384 || bits % 1024 !== 0) {
		throw new KeyFormatError(FORMAT, `RSA keys are 2048 to 16384 bits in steps of 1024, got ${bits}`);
	}

	return bits;
}
