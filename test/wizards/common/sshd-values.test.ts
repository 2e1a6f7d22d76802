import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sameSshdValue} from '../../../wizards/common/sshd-hardening.js';

const cases: ReadonlyArray<[key: string, actual: string, wanted: string, same: boolean]> = [
	// OpenSSH 9.2 (Debian 12) prints prohibit-password by its old name.
	['PermitRootLogin', 'without-password', 'prohibit-password', true],
	['PermitRootLogin', 'yes', 'prohibit-password', false],
	['PermitRootLogin', 'no', 'prohibit-password', false],
	['PasswordAuthentication', 'no', 'no', true],
	['AuthorizedKeysFile', '%h/.ssh/authorized_keys  %h/.ssh/uwsgi_authorized_keys', '%h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys', true],
	// The alias belongs to PermitRootLogin only.
	['PasswordAuthentication', 'without-password', 'prohibit-password', false],
];

for (const [key, actual, wanted, same] of cases) {
	test(`sshd -T ${key} ${actual} ${same ? 'is' : 'is not'} ${wanted}`, () => {
		assert.equal(sameSshdValue(key, actual, wanted), same);
	});
}
