// ssh's answer to a fresh login, as the guard and the login fact read it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loginResult} from '../../source/targets/login-result.js';

const cases: ReadonlyArray<{name: string; exitCode: number; stderr: string; ok: boolean; refused: boolean; reason: RegExp}> = [
	{name: 'it worked', exitCode: 0, stderr: '', ok: true, refused: false, reason: /^$/},
	{
		name: 'the key was refused',
		exitCode: 255,
		stderr: 'root@10.99.0.2: Permission denied (publickey).\n',
		ok: false,
		refused: true,
		reason: /Permission denied/,
	},
	{
		name: 'the network failed: worth another try',
		exitCode: 255,
		stderr: 'ssh: connect to host 10.99.0.2 port 22: Connection timed out\r\n',
		ok: false,
		refused: false,
		reason: /^ssh: connect to host .* timed out$/,
	},
	{
		name: 'sshd ended the session it had accepted (exit 254, nothing said)',
		exitCode: 254,
		stderr: '',
		ok: false,
		refused: true,
		reason: /host ended the session before its shell started \(exit 254/,
	},
	{name: 'ssh stopped here by a signal is not the server refusing', exitCode: 143, stderr: '', ok: false, refused: false, reason: /^exit 143$/},
];

for (const each of cases) {
	test(`loginResult: ${each.name}`, () => {
		const result = loginResult({exitCode: each.exitCode, stdout: '', stderr: each.stderr});
		assert.equal(result.ok, each.ok);
		assert.equal(result.refused, each.refused);
		assert.match(result.reason, each.reason);
		assert.doesNotMatch(result.reason, /[\r\n]/);
	});
}
