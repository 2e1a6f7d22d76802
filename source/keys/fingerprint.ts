// Digests and their printed forms, shared by every key module so each format is written once.

import {createHash} from 'node:crypto';

/** Bytes or text (hashed as UTF-8). */
export type Hashable = string | Uint8Array;

/** SHA-256 digest of `data`. */
export function sha256(data: Hashable): Buffer {
	return createHash('sha256').update(data).digest();
}

/** Lowercase hex SHA-256, as `sha256sum` prints it. */
export function sha256Hex(data: Hashable): string {
	return sha256(data).toString('hex');
}

/** Uppercase colon-separated SHA-256 (`AB:CD:…`), as `openssl x509 -fingerprint -sha256` prints and OpenVPN's `peer-fingerprint` reads. */
export function sha256Colon(data: Hashable): string {
	return colonHex(sha256(data));
}

/** Unpadded base64 SHA-256, the body of OpenSSH's `SHA256:…` fingerprints. */
export function sha256Base64(data: Hashable): string {
	return sha256(data).toString('base64').replace(/=+$/, '');
}

/** Bytes as uppercase hex pairs joined by colons. */
export function colonHex(bytes: Uint8Array): string {
	return Array.from(bytes, byte => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** Length of the hex prefix in {@link shortFingerprint}: 64 bits tells keys apart and reveals nothing useful. */
export const SHORT_FINGERPRINT_HEX = 16;

/**
 * A label the UI can show instead of a secret: `sha256:` and the first 16 hex characters of its SHA-256.
 *
 * Only safe for high-entropy secrets (generated keys and psks): for a short typed password it is a guessable verifier.
 */
export function shortFingerprint(data: Hashable): string {
	return `sha256:${sha256Hex(data).slice(0, SHORT_FINGERPRINT_HEX)}`;
}
