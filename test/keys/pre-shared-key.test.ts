import {test} from 'node:test';
import assert from 'node:assert/strict';
import {KeyFormatError} from '../../source/keys/key-format-error.js';
import {PSK_ALPHABET, PSK_MAX_LENGTH, generatePsk, pskFingerprint} from '../../source/keys/pre-shared-key.js';

test('the default psk is 32 characters of [A-Za-z0-9], like pwgen -s 32', () => {
	assert.equal(PSK_ALPHABET.length, 62);
	for (let index = 0; index < 100; index++) {
		assert.match(generatePsk(), /^[A-Za-z\d]{32}$/);
	}
});

test('1000 psks have no duplicates', () => {
	assert.equal(new Set(Array.from({length: 1000}, () => generatePsk())).size, 1000);
});

test('length and alphabet are honoured', () => {
	assert.match(generatePsk(512), /^[A-Za-z\d]{512}$/);
	assert.match(generatePsk(1), /^[A-Za-z\d]$/);
	assert.match(generatePsk(64, 'ab'), /^[ab]{64}$/);
	assert.match(generatePsk(40, '!#%+-.'), /^[!#%+\-.]{40}$/);
});

test('bad lengths and alphabets are refused before any randomness is used', () => {
	for (const length of [0, -1, 1.5, Number.NaN, PSK_MAX_LENGTH + 1]) {
		assert.throws(() => generatePsk(length), KeyFormatError);
	}

	for (const alphabet of ['', 'a', 'aab', 'ab c', 'abé', 'ab\n']) {
		assert.throws(() => generatePsk(8, alphabet), KeyFormatError);
	}
});

test('bytes past the last full multiple of the alphabet size are rejected, not folded with modulo', () => {
	// Alphabet of 3: 255 % 3 === 0 would favour "a" with modulo, so 255 must be skipped.
	const bytes = [255, 255, 0, 255, 4, 254];
	const random = (size: number) => Uint8Array.from(bytes.splice(0, size));
	assert.equal(generatePsk(3, 'abc', random), 'abc');
});

test('a broken random source ends the loop with an error instead of spinning', () => {
	let calls = 0;
	const stuck = (size: number) => {
		calls++;
		return new Uint8Array(size).fill(255);
	};
	assert.throws(() => generatePsk(32, PSK_ALPHABET, stuck), /random source kept returning unusable bytes/);
	assert.ok(calls <= 64, `called ${calls} times`);
});

test('every character is about equally likely', () => {
	const counts = new Map<string, number>();
	for (let index = 0; index < 200; index++) {
		for (const character of generatePsk(310)) {
			counts.set(character, (counts.get(character) ?? 0) + 1);
		}
	}

	// 62 000 draws: 1000 expected per symbol, σ ≈ 31; ±200 only fails for a real bias.
	assert.equal(counts.size, 62);
	for (const [character, count] of counts) {
		assert.ok(count > 800 && count < 1200, `${character} appeared ${count} times`);
	}
});

test('pskFingerprint labels the psk without revealing it', () => {
	const psk = generatePsk();
	const label = pskFingerprint(psk);
	assert.match(label, /^sha256:[\da-f]{16}$/);
	assert.equal(pskFingerprint(psk), label);
	assert.notEqual(pskFingerprint(generatePsk()), label);
	assert.ok(!label.includes(psk.slice(0, 6)));
});
