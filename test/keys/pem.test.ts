import {test} from 'node:test';
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {KeyFormatError} from '../../source/keys/key-format-error.js';
import {pemDecode, pemEncode, wrap} from '../../source/keys/pem.js';

test('pemEncode wraps base64 at the given width with LF line ends and round-trips', () => {
	const body = randomBytes(100);
	const pem = pemEncode('TEST', body);
	const lines = pem.split('\n');
	assert.equal(lines[0], '-----BEGIN TEST-----');
	assert.deepEqual(
		lines.slice(1, -2).map(line => line.length),
		[64, 64, 8],
	);
	assert.equal(lines.at(-2), '-----END TEST-----');
	assert.equal(lines.at(-1), '');
	assert.deepEqual(pemDecode('TEST', pem), body);
	assert.deepEqual(pemDecode('TEST', `junk\r\n${pem.replaceAll('\n', '\r\n')}`), body);
	assert.equal(pemEncode('X', body, 70).split('\n')[1]?.length, 70);
});

test('pemDecode names what is missing or broken', () => {
	assert.throws(() => pemDecode('TEST', 'nothing here'), KeyFormatError);
	assert.throws(() => pemDecode('TEST', '-----BEGIN TEST-----\nAAAA\n'), /no complete "-----BEGIN TEST-----" block/);
	assert.throws(() => pemDecode('TEST', '-----BEGIN TEST-----\nA*AA\n-----END TEST-----\n'), /not valid base64/);
});

test('wrap cuts text into fixed-width lines', () => {
	assert.deepEqual(wrap('abcdefg', 3), ['abc', 'def', 'g']);
	assert.deepEqual(wrap('', 3), []);
});
