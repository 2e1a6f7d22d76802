// SHA-512 crypt (`$6$`, Drepper's algorithm): what `openssl passwd -6`, `mkpasswd -m sha-512` and glibc crypt() make.
// nginx's auth_basic checks htpasswd lines with crypt(), so this hash works there without Apache's tools.

import {createHash, randomBytes} from 'node:crypto';

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DEFAULT_ROUNDS = 5000;
const SALT_MAX = 16;

// The byte order in which the final digest is packed into base64 groups of three.
const ORDER = [
	[0, 21, 42],
	[22, 43, 1],
	[44, 2, 23],
	[3, 24, 45],
	[25, 46, 4],
	[47, 5, 26],
	[6, 27, 48],
	[28, 49, 7],
	[50, 8, 29],
	[9, 30, 51],
	[31, 52, 10],
	[53, 11, 32],
	[12, 33, 54],
	[34, 55, 13],
	[56, 14, 35],
	[15, 36, 57],
	[37, 58, 16],
	[59, 17, 38],
	[18, 39, 60],
	[40, 61, 19],
	[62, 20, 41],
] as const;

function sha512(...parts: Buffer[]): Buffer {
	const hash = createHash('sha512');
	for (const part of parts) {
		hash.update(part);
	}

	return hash.digest();
}

// `length` bytes made of whole copies of `digest` and then a prefix of it.
function repeatTo(digest: Buffer, length: number): Buffer {
	const out = Buffer.alloc(length);
	for (let at = 0; at < length; at += digest.length) {
		digest.copy(out, at, 0, Math.min(digest.length, length - at));
	}

	return out;
}

function encode(value: number, chars: number): string {
	let text = '';
	for (let index = 0; index < chars; index++) {
		text += ALPHABET[value & 0x3f];
		value >>>= 6;
	}

	return text;
}

/** A new random salt of 16 characters from the crypt alphabet. */
export function newSalt(): string {
	return Array.from(randomBytes(SALT_MAX), byte => ALPHABET[byte & 0x3f]).join('');
}

/** `$6$[rounds=N$]salt$hash` for `password`; the same inputs always give the same text. */
export function sha512Crypt(password: string, salt: string = newSalt(), rounds = DEFAULT_ROUNDS): string {
	const key = Buffer.from(password, 'utf8');
	const saltText = salt.slice(0, SALT_MAX);
	const saltBytes = Buffer.from(saltText, 'utf8');
	const roundCount = Math.min(999_999_999, Math.max(1000, rounds));
	const alternate = sha512(key, saltBytes, key);
	const start = createHash('sha512').update(key).update(saltBytes).update(repeatTo(alternate, key.length));
	for (let length = key.length; length > 0; length >>= 1) {
		start.update(length & 1 ? alternate : key);
	}

	let digest = start.digest();
	const keyBlock = repeatTo(sha512(...Array.from({length: key.length}, () => key)), key.length);
	const saltBlock = repeatTo(sha512(...Array.from({length: 16 + digest[0]!}, () => saltBytes)), saltBytes.length);
	for (let round = 0; round < roundCount; round++) {
		const hash = createHash('sha512');
		hash.update(round & 1 ? keyBlock : digest);
		if (round % 3 !== 0) {
			hash.update(saltBlock);
		}

		if (round % 7 !== 0) {
			hash.update(keyBlock);
		}

		hash.update(round & 1 ? digest : keyBlock);
		digest = hash.digest();
	}

	let text = ORDER.map(([a, b, c]) => encode((digest[a]! << 16) | (digest[b]! << 8) | digest[c]!, 4)).join('');
	text += encode(digest[63]!, 2);
	const roundsPart = rounds === DEFAULT_ROUNDS ? '' : `rounds=${roundCount}$`;
	return `$6$${roundsPart}${saltText}$${text}`;
}

/** Whether `password` matches a `$6$` hash, by hashing it again with the hash's own salt and rounds. */
export function verifySha512Crypt(password: string, hash: string): boolean {
	const match = /^\$6\$(?:rounds=(\d+)\$)?([^$]{0,16})\$[./\dA-Za-z]{86}$/.exec(hash);
	if (!match) {
		return false;
	}

	return sha512Crypt(password, match[2], match[1] === undefined ? DEFAULT_ROUNDS : Number(match[1])) === hash;
}
