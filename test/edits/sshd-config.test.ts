import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {
	canonicalSshdKey,
	disableDirectives,
	hasInclude,
	overridingBeforeInclude,
	parseSshdConfig,
	parseSshdT,
	renderDropIn,
	setDirectives,
} from '../../source/edits/sshd-config.js';
import {fixture, replaceOnce} from './fixture.js';

// What the uwsgi.it guide asks of sshd.
const guide = {
	AuthorizedKeysFile: '%h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys',
	PasswordAuthentication: 'no',
	X11Forwarding: 'no',
	ClientAliveInterval: '30',
};

test('parseSshdConfig reads keywords case-insensitively, key=value forms, quotes, Include and Match', () => {
	const text = [
		'Include /etc/ssh/sshd_config.d/*.conf',
		'  passwordauthentication=no',
		'PermitRootLogin = prohibit-password # trailing comment',
		'AuthorizedKeysFile "%h/.ssh/my keys" .ssh/authorized_keys',
		'#X11Forwarding yes',
		'ChallengeResponseAuthentication no',
		'Match User anoncvs',
		'\tX11Forwarding no',
	].join('\n');
	const directives = parseSshdConfig(text);
	assert.deepEqual(
		directives.map(({line, keyword, key, args, inMatch}) => ({line, keyword, key, args, inMatch})),
		[
			{line: 0, keyword: 'Include', key: 'include', args: ['/etc/ssh/sshd_config.d/*.conf'], inMatch: false},
			{line: 1, keyword: 'passwordauthentication', key: 'passwordauthentication', args: ['no'], inMatch: false},
			{line: 2, keyword: 'PermitRootLogin', key: 'permitrootlogin', args: ['prohibit-password'], inMatch: false},
			{line: 3, keyword: 'AuthorizedKeysFile', key: 'authorizedkeysfile', args: ['%h/.ssh/my keys', '.ssh/authorized_keys'], inMatch: false},
			{line: 5, keyword: 'ChallengeResponseAuthentication', key: 'kbdinteractiveauthentication', args: ['no'], inMatch: false},
			{line: 6, keyword: 'Match', key: 'match', args: ['User', 'anoncvs'], inMatch: true},
			{line: 7, keyword: 'X11Forwarding', key: 'x11forwarding', args: ['no'], inMatch: true},
		],
	);
});

test('canonicalSshdKey maps the deprecated aliases sshd still accepts', () => {
	assert.equal(canonicalSshdKey('ChallengeResponseAuthentication'), 'kbdinteractiveauthentication');
	assert.equal(canonicalSshdKey('KbdInteractiveAuthentication'), 'kbdinteractiveauthentication');
	assert.equal(canonicalSshdKey('PubkeyAcceptedKeyTypes'), 'pubkeyacceptedalgorithms');
	assert.equal(canonicalSshdKey('X11Forwarding'), 'x11forwarding');
});

test('hasInclude tells the Debian/Ubuntu layout from the older one', () => {
	assert.equal(hasInclude(fixture('sshd/debian-12-sshd_config')), true);
	assert.equal(hasInclude(fixture('sshd/ubuntu-22.04-sshd_config')), true);
	assert.equal(hasInclude(fixture('sshd/ubuntu-24.04-sshd_config')), true);
	assert.equal(hasInclude(fixture('sshd/ubuntu-18.04-sshd_config')), false);
	assert.equal(hasInclude(fixture('sshd/ubuntu-13.10-sshd_config')), false);
	assert.equal(hasInclude('Match User x\n\tInclude /etc/ssh/x.conf\n'), false);
});

test('setDirectives on Ubuntu 13.10: replaces X11Forwarding, adds the rest before the trailing Match block', () => {
	const text = fixture('sshd/ubuntu-13.10-sshd_config');
	const result = setDirectives(text, guide);
	let expected = replaceOnce(text, '\nX11Forwarding yes\n', '\n# waymark: was "X11Forwarding yes"\nX11Forwarding no\n');
	expected = replaceOnce(
		expected,
		'UsePAM yes\n\nMatch Group sftponly\n',
		[
			'UsePAM yes',
			'',
			'# waymark: added',
			'AuthorizedKeysFile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys',
			'PasswordAuthentication no',
			'ClientAliveInterval 30',
			'',
			'Match Group sftponly',
			'',
		].join('\n'),
	);
	assert.deepEqual(result, {text: expected, changed: true});
	// The commented defaults and the Match block stay as they were.
	assert.ok(result.text.includes('\n#AuthorizedKeysFile\t%h/.ssh/authorized_keys\n'));
	assert.ok(result.text.includes('\n#PasswordAuthentication yes\n'));
	assert.ok(result.text.endsWith('\tAllowTcpForwarding no\n\tX11Forwarding no\n'));
	assert.deepEqual(setDirectives(result.text, guide), {text: result.text, changed: false});
});

test('setDirectives on Ubuntu 18.04: no Match block, so new lines go at the end', () => {
	const text = fixture('sshd/ubuntu-18.04-sshd_config');
	const result = setDirectives(text, guide);
	const expected =
		replaceOnce(text, '\nX11Forwarding yes\n', '\n# waymark: was "X11Forwarding yes"\nX11Forwarding no\n') +
		'\n# waymark: added\nAuthorizedKeysFile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys\nPasswordAuthentication no\nClientAliveInterval 30\n';
	assert.deepEqual(result, {text: expected, changed: true});
	assert.deepEqual(setDirectives(result.text, guide), {text: result.text, changed: false});
});

test('setDirectives treats ChallengeResponseAuthentication as KbdInteractiveAuthentication and keeps its spelling', () => {
	const text = fixture('sshd/ubuntu-18.04-sshd_config');
	assert.deepEqual(setDirectives(text, {KbdInteractiveAuthentication: 'no'}), {text, changed: false});
	assert.deepEqual(setDirectives(text, {KbdInteractiveAuthentication: 'yes'}), {
		text: replaceOnce(
			text,
			'\nChallengeResponseAuthentication no\n',
			'\n# waymark: was "ChallengeResponseAuthentication no"\nChallengeResponseAuthentication yes\n',
		),
		changed: true,
	});
});

test('setDirectives comments out later duplicates outside Match, keeps the separator style, ignores case of yes/no', () => {
	const text = [
		'PasswordAuthentication=yes',
		'X11Forwarding No # set by hand',
		'passwordauthentication no',
		'Match Address 10.0.0.0/8',
		'  PasswordAuthentication yes',
		'',
	].join('\n');
	const result = setDirectives(text, {PasswordAuthentication: 'no', X11Forwarding: 'no'});
	assert.deepEqual(result, {
		text: [
			'# waymark: was "PasswordAuthentication=yes"',
			'PasswordAuthentication=no',
			'X11Forwarding No # set by hand',
			'#passwordauthentication no  # waymark: disabled, sshd uses the first value it reads',
			'Match Address 10.0.0.0/8',
			'  PasswordAuthentication yes',
			'',
		].join('\n'),
		changed: true,
	});
	assert.deepEqual(setDirectives(result.text, {PasswordAuthentication: 'no', X11Forwarding: 'no'}), {text: result.text, changed: false});
});

test('setDirectives keeps the first marker when a value changes twice, and a comment that introduces Match', () => {
	const text = 'X11Forwarding yes\n# tunnels only\nMatch User tunnel\n\tPermitTTY no';
	const once = setDirectives(text, {X11Forwarding: 'no', ClientAliveInterval: '30'});
	assert.equal(
		once.text,
		'# waymark: was "X11Forwarding yes"\nX11Forwarding no\n# waymark: added\nClientAliveInterval 30\n\n# tunnels only\nMatch User tunnel\n\tPermitTTY no',
	);
	const twice = setDirectives(once.text, {X11Forwarding: 'yes', ClientAliveInterval: '60'});
	assert.equal(
		twice.text,
		'# waymark: was "X11Forwarding yes"\nX11Forwarding yes\n# waymark: added\nClientAliveInterval 60\n\n# tunnels only\nMatch User tunnel\n\tPermitTTY no',
	);
});

test('setDirectives refuses a file with an Include line: the setting belongs in a drop-in', () => {
	for (const file of ['sshd/debian-12-sshd_config', 'sshd/ubuntu-22.04-sshd_config', 'sshd/ubuntu-24.04-sshd_config']) {
		assert.throws(
			() => setDirectives(fixture(file), guide),
			(error: unknown) => error instanceof EditError && error.code === 'wrong-layout',
		);
	}
});

test('setDirectives refuses keywords and values that would change the file structure', () => {
	const cases: Array<Record<string, string>> = [
		{Match: 'all'},
		{'Password Authentication': 'no'},
		{PasswordAuthentication: ''},
		{PasswordAuthentication: 'no\nPermitRootLogin yes'},
	];
	for (const settings of cases) {
		assert.throws(
			() => setDirectives('', settings),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}
});

test('setDirectives on an empty file adds the block', () => {
	assert.deepEqual(setDirectives('', {PasswordAuthentication: 'no'}), {text: '# waymark: added\nPasswordAuthentication no\n', changed: true});
});

test('renderDropIn writes a header and the settings in order', () => {
	assert.equal(
		renderDropIn(
			{PasswordAuthentication: 'no', KbdInteractiveAuthentication: 'no', AuthorizedKeysFile: guide.AuthorizedKeysFile},
			'Written by Waymark (uwsgi-it).\nsshd keeps the first value it reads; this file sorts first.',
		),
		[
			'# Written by Waymark (uwsgi-it).',
			'# sshd keeps the first value it reads; this file sorts first.',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'AuthorizedKeysFile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys',
			'',
		].join('\n'),
	);
	assert.throws(() => renderDropIn({PasswordAuthentication: 'no\nPermitRootLogin yes'}, ''), EditError);
});

test('overridingBeforeInclude: stock Ubuntu 24.04 with cloud-init has nothing in the way', () => {
	assert.deepEqual(
		overridingBeforeInclude(fixture('sshd/ubuntu-24.04-sshd_config'), ['PasswordAuthentication', 'X11Forwarding', 'KbdInteractiveAuthentication']),
		[],
	);
	// The cloud-init drop-in sets PasswordAuthentication; a drop-in named 00-… is read first and wins.
	assert.deepEqual(
		parseSshdConfig(fixture('sshd/ubuntu-24.04-50-cloud-init.conf')).map(directive => [directive.key, directive.args]),
		[['passwordauthentication', ['yes']]],
	);
	assert.deepEqual(overridingBeforeInclude(fixture('sshd/ubuntu-18.04-sshd_config'), ['X11Forwarding']), []);
});

test('overridingBeforeInclude and disableDirectives: lines put above the Include beat a drop-in', () => {
	const stock = fixture('sshd/ubuntu-22.04-sshd_config');
	const text = replaceOnce(
		stock,
		'\nInclude /etc/ssh/sshd_config.d/*.conf\n',
		'\nPasswordAuthentication yes\nChallengeResponseAuthentication yes\nPort 2222\nInclude /etc/ssh/sshd_config.d/*.conf\n',
	);
	assert.deepEqual(
		overridingBeforeInclude(text, ['PasswordAuthentication', 'KbdInteractiveAuthentication', 'X11Forwarding']).map(directive => directive.keyword),
		['PasswordAuthentication', 'ChallengeResponseAuthentication'],
	);
	const result = disableDirectives(text, ['PasswordAuthentication', 'KbdInteractiveAuthentication', 'X11Forwarding']);
	assert.deepEqual(result, {
		text: replaceOnce(
			stock,
			'\nInclude /etc/ssh/sshd_config.d/*.conf\n',
			'\n#PasswordAuthentication yes  # waymark: disabled, it would override sshd_config.d\n#ChallengeResponseAuthentication yes  # waymark: disabled, it would override sshd_config.d\nPort 2222\nInclude /etc/ssh/sshd_config.d/*.conf\n',
		),
		changed: true,
	});
	// X11Forwarding yes after the Include loses to the drop-in anyway, so it stays.
	assert.ok(result.text.includes('\nX11Forwarding yes\n'));
	assert.deepEqual(disableDirectives(result.text, ['PasswordAuthentication', 'KbdInteractiveAuthentication']), {text: result.text, changed: false});
});

test('disableDirectives without an Include comments out every occurrence outside Match', () => {
	const text = fixture('sshd/ubuntu-13.10-sshd_config');
	const result = disableDirectives(text, ['X11Forwarding']);
	assert.deepEqual(result, {
		text: replaceOnce(text, '\nX11Forwarding yes\n', '\n#X11Forwarding yes  # waymark: disabled, sshd uses the first value it reads\n'),
		changed: true,
	});
	assert.deepEqual(disableDirectives(result.text, ['X11Forwarding']), {text: result.text, changed: false});
});

test('parseSshdT reads real `sshd -T` output from OpenSSH 9.2', () => {
	const values = parseSshdT(fixture('sshd/debian-12-sshd-T.txt'));
	assert.equal(values.get('passwordauthentication'), 'yes');
	assert.equal(values.get('kbdinteractiveauthentication'), 'no');
	assert.equal(values.get('x11forwarding'), 'yes');
	assert.equal(values.get('clientaliveinterval'), '0');
	// sshd -T prints the prohibit-password default under its old name.
	assert.equal(values.get('permitrootlogin'), 'without-password');
	assert.equal(values.get('authorizedkeysfile'), '.ssh/authorized_keys .ssh/authorized_keys2');
	assert.equal(values.get('subsystem'), 'sftp /usr/lib/openssh/sftp-server');
	assert.equal(values.get('acceptenv'), 'LANG\nLC_*');
	assert.equal(values.get('hostkey'), '/etc/ssh/ssh_host_rsa_key\n/etc/ssh/ssh_host_ecdsa_key\n/etc/ssh/ssh_host_ed25519_key');
	assert.equal(values.get('listenaddress'), '[::]:22\n0.0.0.0:22');
	assert.equal(values.get('rekeylimit'), '0 0');
});

test('parseSshdT maps the old challengeresponseauthentication line of OpenSSH before 8.7', () => {
	const values = parseSshdT('port 22\nchallengeresponseauthentication no\r\nauthorizedkeysfile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys\n\n');
	assert.deepEqual(
		[...values],
		[
			['port', '22'],
			['kbdinteractiveauthentication', 'no'],
			['authorizedkeysfile', '%h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys'],
		],
	);
});
