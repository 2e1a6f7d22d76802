import assert from 'node:assert/strict';
import {test} from 'node:test';
import {wrappedRows} from '../../../source/ui/components/wrapped-rows.js';

const cases: ReadonlyArray<{name: string; text: string; width: number; rows: number}> = [
	{name: 'fits on one row', text: 'short text', width: 80, rows: 1},
	{name: 'exactly the width', text: 'abcd efgh', width: 9, rows: 1},
	{name: 'wraps at the last space that fits', text: 'abcd efgh ij', width: 9, rows: 2},
	{name: 'a word longer than a row is cut across rows', text: 'abcdefghijklmnopqrstu', width: 10, rows: 3},
	{name: 'newlines start rows', text: 'one\ntwo\nthree', width: 80, rows: 3},
	{name: 'empty text is one row', text: '', width: 80, rows: 1},
	{
		name: 'a real summary at 80 columns takes three rows, as Ink shows it',
		text: 'Prepares a server to host uwsgi.it containers: fair I/O scheduling, quotas, hardened sshd, packages, container users in NSS and PAM, the uwsgi.it tree and node settings, and a firewall for the tuntap gateway between nodes.',
		width: 80,
		rows: 3,
	},
];

for (const each of cases) {
	test(`wrappedRows: ${each.name}`, () => {
		assert.equal(wrappedRows(each.text, each.width), each.rows);
	});
}
