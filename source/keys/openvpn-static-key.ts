// OpenVPN static keys (`secret`, `tls-auth`, `tls-crypt`) made on the operator's machine: no openvpn binary needed.

import {randomBytes} from 'node:crypto';
import {KeyFormatError} from './key-format-error.js';
import {shortFingerprint} from './fingerprint.js';
import {wrap} from './pem.js';

/** Bytes in a V1 static key: two directions × (cipher 64 + HMAC 64). */
export const STATIC_KEY_BYTES = 256;

const FORMAT = 'OpenVPN static key';
const BEGIN = '-----BEGIN OpenVPN Static key V1-----';
const END = '-----END OpenVPN Static key V1-----';
// The header `openvpn --genkey` writes; it says 2048 bit (= 256 bytes) for every key kind.
const HEADER = ['#', '# 2048 bit OpenVPN static key', '#'];
const HEX_PER_LINE = 32;

/** Formats 256 bytes exactly as `openvpn --genkey secret` writes them (16 lines of 32 lowercase hex, trailing newline). */
export function formatStaticKey(bytes: Uint8Array): string {
	if (bytes.length !== STATIC_KEY_BYTES) {
		throw new KeyFormatError(FORMAT, `needs ${STATIC_KEY_BYTES} bytes, got ${bytes.length}`);
	}

	return [...HEADER, BEGIN, ...wrap(Buffer.from(bytes).toString('hex'), HEX_PER_LINE), END, ''].join('\n');
}

/** A new static key file for `secret` mode (`openvpn --genkey secret F`), from the CSPRNG. */
export function generateStaticKey(): string {
	return formatStaticKey(randomBytes(STATIC_KEY_BYTES));
}

/** A new `tls-crypt` (or `tls-auth`) key: `openvpn --genkey tls-crypt F` writes the very same file format, header included. */
export function tlsCryptKey(): string {
	return generateStaticKey();
}

/**
 * Reads a static key file (or the body of an inline `<secret>`/`<tls-crypt>` block) and returns its 256 bytes.
 *
 * Like OpenVPN, text outside the BEGIN/END lines is ignored, hex may be either case and CRLF is accepted;
 * anything else throws a {@link KeyFormatError} that names the line but never quotes key material.
 */
export function parseStaticKey(text: string): Buffer {
	const lines = text.split(/\r?\n/).map(line => line.trim());
	const begin = lines.indexOf(BEGIN);
	if (begin === -1) {
		throw new KeyFormatError(FORMAT, `no "${BEGIN}" line; make a key with \`openvpn --genkey secret FILE\``);
	}

	const end = lines.indexOf(END, begin + 1);
	if (end === -1) {
		throw new KeyFormatError(FORMAT, `no "${END}" line after the BEGIN line; the file looks truncated`);
	}

	let hex = '';
	for (let index = begin + 1; index < end; index++) {
		const line = lines[index] ?? '';
		if (!/^[\da-fA-F]*$/.test(line)) {
			throw new KeyFormatError(FORMAT, `line ${index + 1} holds a character that is not a hex digit`, index + 1);
		}

		hex += line;
	}

	if (hex.length !== STATIC_KEY_BYTES * 2) {
		const found = Math.floor(hex.length / 2);
		throw new KeyFormatError(
			FORMAT,
			`found ${hex.length % 2 === 0 ? found : `${found}.5`} bytes between the BEGIN and END lines, expected ${STATIC_KEY_BYTES}; the file is damaged, make a new key`,
		);
	}

	return Buffer.from(hex, 'hex');
}

/** What the UI shows for a static key: a short SHA-256 of its bytes (the key itself never leaves its 0600 file). */
export function staticKeyFingerprint(text: string): string {
	return shortFingerprint(parseStaticKey(text));
}
