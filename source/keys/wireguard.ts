// WireGuard keys (what `wg genkey`, `wg pubkey` and `wg genpsk` print), computed with node:crypto's X25519.

import {createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes} from 'node:crypto';
import {KeyFormatError} from './key-format-error.js';

/** A WireGuard key pair, both halves in the base64 form of `wg` and `wg-quick` configs. */
export interface WireguardKeyPair {
	/** `PrivateKey =` of this host's `[Interface]`; secret. */
	readonly privateKey: string;
	/** `PublicKey =` of this host's `[Peer]` entry on the other hosts; safe to show. */
	readonly publicKey: string;
}

const FORMAT = 'WireGuard key';
const KEY_BYTES = 32;
// PKCS#8 prefix for a raw X25519 private key (RFC 8410): node imports raw scalars only in a container.
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** Clears and sets the bits Curve25519 fixes (RFC 7748 §5), as `wg genkey` does before printing. */
export function clampWireguardKey(bytes: Uint8Array): Buffer {
	if (bytes.length !== KEY_BYTES) {
		throw new KeyFormatError(FORMAT, `needs ${KEY_BYTES} bytes, got ${bytes.length}`);
	}

	const clamped = Buffer.from(bytes);
	clamped[0] = (clamped[0] ?? 0) & 248;
	clamped[31] = ((clamped[31] ?? 0) & 127) | 64;
	return clamped;
}

/** A new private key in base64, as `wg genkey` prints it (clamped, no newline). */
export function generateWireguardPrivateKey(): string {
	const jwk = generateKeyPairSync('x25519').privateKey.export({format: 'jwk'});
	if (typeof jwk.d !== 'string') {
		throw new Error('node:crypto exported an X25519 key without its private part');
	}

	return clampWireguardKey(Buffer.from(jwk.d, 'base64url')).toString('base64');
}

/** The public key for a base64 private key (surrounding whitespace ignored), equal to what `wg pubkey` prints for it. */
export function wireguardPublicKey(privateBase64: string): string {
	const scalar = decodeKey(privateBase64.trim(), 'private key');
	const privateKey = createPrivateKey({key: Buffer.concat([PKCS8_X25519_PREFIX, scalar]), format: 'der', type: 'pkcs8'});
	const jwk = createPublicKey(privateKey).export({format: 'jwk'});
	if (typeof jwk.x !== 'string') {
		throw new Error('node:crypto exported an X25519 public key without its value');
	}

	return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** A new private key and its public key. */
export function generateWireguardKeyPair(): WireguardKeyPair {
	const privateKey = generateWireguardPrivateKey();
	return {privateKey, publicKey: wireguardPublicKey(privateKey)};
}

/** A new `PresharedKey` for a `[Peer]` (32 random bytes in base64, what `wg genpsk` prints). */
export function generateWireguardPresharedKey(): string {
	return randomBytes(KEY_BYTES).toString('base64');
}

/** True for a well-formed WireGuard key (44 characters of base64 holding 32 bytes), the check `wg` applies. */
export function isWireguardKey(text: string): boolean {
	return /^[A-Za-z\d+/]{42}[AEIMQUYcgkosw048]=$/.test(text);
}

// Strict: `wg` rejects anything but canonical 44-character base64, so a typo must fail here and not on the host.
function decodeKey(text: string, what: string): Buffer {
	if (!isWireguardKey(text)) {
		throw new KeyFormatError(FORMAT, `the ${what} must be 44 characters of base64 ending in "=" (what \`wg genkey\` prints)`);
	}

	return Buffer.from(text, 'base64');
}
