// Redaction as a table: what a secret value hides, and what it must leave alone (public PEM blocks, whitespace).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {redact, redactedMark} from '../../source/engine/redact.js';

const key = [
	'-----BEGIN PRIVATE KEY-----',
	'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
	'c3VwZXJzZWNyZXRrZXltYXRlcmlhbHRoYXRtdXN0bm90bGVhaw==',
	'-----END PRIVATE KEY-----',
].join('\n');
const certificate = [
	'-----BEGIN CERTIFICATE-----',
	'MIIDazCCAlOgAwIBAgIUPublicCertificateBodyLine1xyz',
	'cHVibGljY2VydGlmaWNhdGVib2R5bGluZTJhYmNkZWZnaGlq',
	'-----END CERTIFICATE-----',
].join('\n');
const bundle = `${key}\n${certificate}\n`;

const cases: ReadonlyArray<{name: string; text: string; secrets: string[]; expected: string}> = [
	{name: 'a short secret', text: 'token=hunter2;', secrets: ['hunter2'], expected: `token=${redactedMark};`},
	{name: 'the whole key as one mark', text: `plan:\n${key}\nend`, secrets: [bundle], expected: `plan:\n${redactedMark}\nend`},
	{
		name: 'one line of the key alone',
		text: 'got MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7 back',
		secrets: [bundle],
		expected: `got ${redactedMark} back`,
	},
	{name: 'the public certificate next to the key stays readable', text: certificate, secrets: [bundle], expected: certificate},
	{
		name: "a secret that ends in a newline keeps the text's newlines",
		text: 'a\npsk-0123456789abcdef\nb\n',
		secrets: ['psk-0123456789abcdef\n'],
		expected: `a\n${redactedMark}\nb\n`,
	},
	{name: 'whitespace-only and empty secrets replace nothing', text: 'a b\n\tc', secrets: ['', ' ', '\n\t'], expected: 'a b\n\tc'},
	{name: 'PEM armour lines alone are not secret', text: '-----BEGIN PRIVATE KEY-----', secrets: [bundle], expected: '-----BEGIN PRIVATE KEY-----'},
];

for (const each of cases) {
	test(`redact: ${each.name}`, () => {
		assert.equal(redact(each.text, each.secrets), each.expected);
	});
}
