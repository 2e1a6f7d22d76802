// The nginx password file: SHA-512 crypt that openssl agrees with, and a line kept as it is while the password matches.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {sha512Crypt, verifySha512Crypt} from '../../../source/keys/sha512-crypt.js';
import {htpasswdText} from '../../../wizards/openvpn-p2p/nginx-basic-auth.js';

test('SHA-512 crypt: the known vector, and what openssl passwd -6 makes of rounds, salt and a non-ASCII password', () => {
	assert.equal(sha512Crypt('secret', 'abcdefgh'), '$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.');
	try {
		const fromOpenssl = execFileSync('openssl', ['passwd', '-6', '-salt', 'rounds=9000$0123456789abcdef', 'pässwörd with spaces'], {encoding: 'utf8'}).trim();
		assert.equal(sha512Crypt('pässwörd with spaces', '0123456789abcdef', 9000), fromOpenssl);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}
});

test('htpasswd: a salted line per user, kept while the password matches (a re-run changes nothing), replaced when it does not', () => {
	const first = htpasswdText(null, 'admin', 'pw one');
	assert.match(first, /^admin:\$6\$[^$]{16}\$[./\dA-Za-z]{86}\n$/);
	assert.ok(verifySha512Crypt('pw one', first.trim().slice('admin:'.length)));
	assert.equal(htpasswdText(first, 'admin', 'pw one'), first, 'same password: same file');
	assert.notEqual(htpasswdText(first, 'admin', 'pw two'), first);
});
