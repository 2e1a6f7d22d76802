import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {command, quote} from '../../source/targets/quote.js';

const hostile = [
	'plain',
	'',
	'two words',
	"it's",
	'$(touch /tmp/pwned)',
	'`id`',
	'a"b',
	'back\\slash',
	'line\nbreak',
	'; rm -rf /',
	'--flag',
	'*',
	'~root',
	'$HOME',
	"'",
	"''",
	'tab\there',
];

test('every value survives sh unchanged', () => {
	for (const value of hostile) {
		const echoed = execFileSync('sh', ['-c', `printf '%s' ${quote(value)}`], {encoding: 'utf8'});
		assert.equal(echoed, value, `value ${JSON.stringify(value)}`);
	}
});

test('a command line keeps its words apart', () => {
	const out = execFileSync('sh', ['-c', `for w in ${command('a b', '$(x)', "c'd")}; do printf '[%s]' "$w"; done`], {encoding: 'utf8'});
	assert.equal(out, "[a b][$(x)][c'd]");
});

test('plain words stay readable', () => {
	assert.equal(quote('/etc/ssh/sshd_config'), '/etc/ssh/sshd_config');
	assert.equal(quote('a b'), "'a b'");
});

test('a NUL byte is refused', () => {
	assert.throws(() => quote('a\0b'), /NUL/);
});
