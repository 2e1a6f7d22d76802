// Pre-shared keys (PeerVPN `psk`, passwords in config files): CSPRNG characters without modulo bias.

import {randomBytes} from 'node:crypto';
import {KeyFormatError} from './key-format-error.js';
import {shortFingerprint} from './fingerprint.js';

/** `[A-Za-z0-9]`, the alphabet of `pwgen -s`: safe unquoted in every config format Waymark writes. */
export const PSK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Default length: 32 characters of 62 symbols ≈ 190 bits, like `pwgen -s 32`. */
export const PSK_DEFAULT_LENGTH = 32;

/** Longest psk accepted; PeerVPN reads at most 512 characters. */
export const PSK_MAX_LENGTH = 512;

/** Where random bytes come from; only tests pass anything but node:crypto's `randomBytes`. */
export type RandomSource = (size: number) => Uint8Array;

const FORMAT = 'pre-shared key';
// A broken random source must fail loudly, not spin: with ≥ 2 symbols at most half the bytes are rejected.
const MAX_ROUNDS = 64;

/**
 * A random string of `length` characters drawn uniformly from `alphabet` (visible ASCII, no repeats).
 *
 * Bytes at or above the largest multiple of the alphabet size are thrown away (rejection sampling), so every
 * character is equally likely; `byte % size` alone would favour the first characters.
 */
export function generatePsk(length = PSK_DEFAULT_LENGTH, alphabet = PSK_ALPHABET, random: RandomSource = randomBytes): string {
	if (!Number.isInteger(length) || length < 1 || length > PSK_MAX_LENGTH) {
		throw new KeyFormatError(FORMAT, `length must be a whole number from 1 to ${PSK_MAX_LENGTH}, got ${length}`);
	}

	const symbols = checkAlphabet(alphabet);
	const limit = 256 - (256 % symbols.length);
	let result = '';
	for (let round = 0; round < MAX_ROUNDS && result.length < length; round++) {
		// Ask for a little more than needed so one round nearly always suffices.
		for (const byte of random(Math.ceil((length - result.length) * 1.25) + 8)) {
			if (byte < limit) {
				result += symbols[byte % symbols.length];
				if (result.length === length) {
					break;
				}
			}
		}
	}

	if (result.length < length) {
		throw new Error(`The random source kept returning unusable bytes after ${MAX_ROUNDS} rounds; it is broken`);
	}

	return result;
}

/** What the UI shows instead of a psk, e.g. `sha256:3f7a09c1d2e4b5a6`; the same psk on every node gives the same label. */
export function pskFingerprint(psk: string): string {
	return shortFingerprint(psk);
}

// Visible ASCII only: a space, quote or non-ASCII letter in a psk breaks config parsers and shell quoting alike.
function checkAlphabet(alphabet: string): string {
	if (!/^[\x21-\x7e]+$/.test(alphabet)) {
		throw new KeyFormatError(FORMAT, 'the alphabet must be visible ASCII characters (no spaces)');
	}

	if (new Set(alphabet).size !== alphabet.length) {
		throw new KeyFormatError(FORMAT, 'the alphabet repeats a character, which would make it more likely');
	}

	if (alphabet.length < 2) {
		throw new KeyFormatError(FORMAT, 'the alphabet needs at least 2 characters');
	}

	return alphabet;
}
