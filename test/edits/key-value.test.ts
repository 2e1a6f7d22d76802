import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {getKeyValue, setKeyValue} from '../../source/edits/key-value.js';
import {fixture, replaceOnce} from './fixture.js';

const sysctl = {style: 'sysctl'} as const;
const shell = {style: 'shell'} as const;

test('setKeyValue on Debian 12 sysctl.conf: the new line follows the commented example, in its style', () => {
	const text = fixture('sysctl/debian-12-sysctl.conf');
	const result = setKeyValue(text, 'net.ipv4.ip_forward', '1', sysctl);
	assert.deepEqual(result, {
		text: replaceOnce(text, '\n#net.ipv4.ip_forward=1\n', '\n#net.ipv4.ip_forward=1\n# waymark: added\nnet.ipv4.ip_forward=1\n'),
		changed: true,
	});
	assert.deepEqual(setKeyValue(result.text, 'net.ipv4.ip_forward', '1', sysctl), {text: result.text, changed: false});
	// sysctl reads net/ipv4/ip_forward as the same key.
	assert.deepEqual(setKeyValue(result.text, 'net/ipv4/ip_forward', '1', sysctl), {text: result.text, changed: false});
	assert.equal(getKeyValue(result.text, 'net.ipv4.ip_forward', sysctl), '1');
	assert.equal(getKeyValue(text, 'net.ipv4.ip_forward', sysctl), undefined);
});

test('setKeyValue on sysctl.conf: a spaced example gives a spaced line; a key with no example goes at the end', () => {
	const text = fixture('sysctl/debian-12-sysctl.conf');
	assert.deepEqual(setKeyValue(text, 'net.ipv4.conf.all.accept_redirects', '0', sysctl), {
		text: replaceOnce(
			text,
			'\n#net.ipv4.conf.all.accept_redirects = 0\n',
			'\n#net.ipv4.conf.all.accept_redirects = 0\n# waymark: added\nnet.ipv4.conf.all.accept_redirects = 0\n',
		),
		changed: true,
	});
	assert.deepEqual(setKeyValue(text, 'vm.swappiness', '10', sysctl), {text: `${text}# waymark: added\nvm.swappiness = 10\n`, changed: true});
});

test('setKeyValue on a Waymark sysctl.d file: create, then change with a marker', () => {
	const created = setKeyValue(null, 'net.ipv4.ip_forward', '1', sysctl);
	assert.deepEqual(created, {text: 'net.ipv4.ip_forward = 1\n', changed: true});
	assert.deepEqual(setKeyValue(created.text, 'net.ipv4.ip_forward', '0', sysctl), {
		text: '# waymark: was "net.ipv4.ip_forward = 1"\nnet.ipv4.ip_forward = 0\n',
		changed: true,
	});
	assert.deepEqual(setKeyValue('-net.ipv4.ip_forward=1', 'net.ipv4.ip_forward', '0', sysctl), {
		text: '# waymark: was "-net.ipv4.ip_forward=1"\n-net.ipv4.ip_forward=0',
		changed: true,
	});
	assert.equal(getKeyValue('kernel.printk = 3 4 1 3\n', 'kernel.printk', sysctl), '3 4 1 3');
});

test('setKeyValue on Debian 12 /etc/default/openvpn: keeps each line quoting and the commented examples', () => {
	const text = fixture('default/debian-12-openvpn');
	const autostart = setKeyValue(text, 'AUTOSTART', 'server', shell);
	assert.deepEqual(autostart, {
		text: replaceOnce(
			text,
			'\n#AUTOSTART="home office"\n',
			'\n#AUTOSTART="home office"\n# waymark: added\nAUTOSTART=server\n'.replace('AUTOSTART=server', 'AUTOSTART="server"'),
		),
		changed: true,
	});
	assert.deepEqual(setKeyValue(autostart.text, 'AUTOSTART', 'server', shell), {text: autostart.text, changed: false});
	assert.deepEqual(setKeyValue(text, 'OPTARGS', '--verb 3', shell), {
		text: replaceOnce(text, '\nOPTARGS=""\n', '\n# waymark: was "OPTARGS="""\nOPTARGS="--verb 3"\n'),
		changed: true,
	});
	assert.deepEqual(setKeyValue(text, 'OMIT_SENDSIGS', '1', shell), {
		text: replaceOnce(text, '\nOMIT_SENDSIGS=0\n', '\n# waymark: was "OMIT_SENDSIGS=0"\nOMIT_SENDSIGS=1\n'),
		changed: true,
	});
	assert.equal(getKeyValue(text, 'OPTARGS', shell), '');
	assert.equal(getKeyValue(text, 'AUTOSTART', shell), undefined);
});

test('setKeyValue on Debian 12 /etc/default/ssh and quota: empty values, quoting only when needed', () => {
	const ssh = fixture('default/debian-12-ssh');
	assert.deepEqual(setKeyValue(ssh, 'SSHD_OPTS', '-o LogLevel=VERBOSE', shell), {
		text: replaceOnce(ssh, '\nSSHD_OPTS=\n', '\n# waymark: was "SSHD_OPTS="\nSSHD_OPTS="-o LogLevel=VERBOSE"\n'),
		changed: true,
	});
	assert.deepEqual(setKeyValue(ssh, 'SSHD_OPTS', '', shell), {text: ssh, changed: false});
	const quota = fixture('default/debian-12-quota');
	const result = setKeyValue(quota, 'run_warnquota', 'true', shell);
	assert.deepEqual(result, {text: replaceOnce(quota, '\nrun_warnquota=\n', '\n# waymark: was "run_warnquota="\nrun_warnquota=true\n'), changed: true});
	assert.deepEqual(setKeyValue(result.text, 'run_warnquota', 'true', shell), {text: result.text, changed: false});
});

test('setKeyValue escapes for sh and reads its own quoting back', () => {
	const value = 'a "b" $HOME `id` \\ c';
	const result = setKeyValue('', 'WAYMARK_TEST', value, shell);
	assert.equal(result.text, '# waymark: added\nWAYMARK_TEST="a \\"b\\" \\$HOME \\`id\\` \\\\ c"\n');
	assert.equal(getKeyValue(result.text, 'WAYMARK_TEST', shell), value);
	assert.equal(setKeyValue(result.text, 'WAYMARK_TEST', value, shell).changed, false);
});

test('setKeyValue keeps export, single quotes and a trailing comment; the last assignment is the one changed', () => {
	assert.deepEqual(setKeyValue("export FOO='bar' # note\n", 'FOO', 'baz', shell), {
		text: "# waymark: was \"export FOO='bar' # note\"\nexport FOO='baz' # note\n",
		changed: true,
	});
	assert.deepEqual(setKeyValue("FOO='bar'\n", 'FOO', "it's", shell).text, '# waymark: was "FOO=\'bar\'"\nFOO="it\'s"\n');
	assert.deepEqual(setKeyValue('A=1\nA=2\n', 'A', '3', shell), {text: 'A=1\n# waymark: was "A=2"\nA=3\n', changed: true});
	assert.equal(getKeyValue('A=1\nA=2\n#A=4\n', 'A', shell), '2');
	assert.equal(getKeyValue('A="x"y\'z\'\n', 'A', shell), 'xyz');
	assert.equal(getKeyValue('AB=1\n', 'A', shell), undefined);
});

test('setKeyValue refuses bad names and multi-line values', () => {
	for (const [key, value, options] of [
		['1A', 'x', shell],
		['A-B', 'x', shell],
		['A', 'x\ny', shell],
		['net ipv4', '1', sysctl],
		['net.ipv4.ip_forward', '1\n', sysctl],
	] as const) {
		assert.throws(
			() => setKeyValue('', key, value, options),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}
});
