import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {addPamLine, pamModules, parsePam, type PamLineIntent} from '../../source/edits/pam.js';
import {fixture, replaceOnce} from './fixture.js';

// The uwsgi.it guide: below the locale pam_env line, add pam_unbit.
const guide: PamLineIntent = {line: 'session    required     pam_unbit.so', after: {type: 'session', module: 'pam_env.so'}};

test('parsePam reads rules, bracket controls, @include and commented-out lines of Debian 12 sshd', () => {
	const rules = parsePam(fixture('pam/debian-12-sshd'));
	assert.deepEqual(rules[0], {line: 3, lastLine: 3, kind: 'include', type: '', silent: false, control: '', module: 'common-auth', args: []});
	assert.deepEqual(rules[1], {line: 6, lastLine: 6, kind: 'rule', type: 'account', silent: false, control: 'required', module: 'pam_nologin.so', args: []});
	assert.deepEqual(
		rules.find(rule => rule.module === 'pam_selinux.so'),
		{
			line: 18,
			lastLine: 18,
			kind: 'rule',
			type: 'session',
			silent: false,
			control: '[success=ok ignore=ignore module_unknown=ignore default=bad]',
			module: 'pam_selinux.so',
			args: ['close'],
		},
	);
	// `# [1]` is a comment even after a rule.
	assert.deepEqual(rules.find(rule => rule.module === 'pam_mail.so')?.args, ['standard', 'noenv']);
	assert.equal(
		rules.some(rule => rule.module === 'pam_access.so'),
		false,
	);
	assert.equal(rules.length, 15);
});

test('parsePam reads RHEL include/substack rules, silent types and continued lines', () => {
	const rules = parsePam(
		`${fixture('pam/rhel-9-sshd')}-session   optional     pam_reauthorize.so prepare\nauth [success=1 \\\n  default=ignore] pam_exec.so quiet [arg with spaces]\n`,
	);
	assert.deepEqual(rules[0], {line: 1, lastLine: 1, kind: 'rule', type: 'auth', silent: false, control: 'substack', module: 'password-auth', args: []});
	assert.deepEqual(rules.at(-2), {
		line: 17,
		lastLine: 17,
		kind: 'rule',
		type: 'session',
		silent: true,
		control: 'optional',
		module: 'pam_reauthorize.so',
		args: ['prepare'],
	});
	assert.deepEqual(rules.at(-1), {
		line: 18,
		lastLine: 19,
		kind: 'rule',
		type: 'auth',
		silent: false,
		control: '[success=1 default=ignore]',
		module: 'pam_exec.so',
		args: ['quiet', '[arg with spaces]'],
	});
});

test('pamModules lists module files, not included service files', () => {
	assert.deepEqual(pamModules(fixture('pam/debian-12-sshd')), [
		'pam_nologin.so',
		'pam_selinux.so',
		'pam_loginuid.so',
		'pam_keyinit.so',
		'pam_motd.so',
		'pam_mail.so',
		'pam_limits.so',
		'pam_env.so',
	]);
	assert.deepEqual(pamModules(fixture('pam/rhel-9-sshd')), [
		'pam_sepermit.so',
		'pam_nologin.so',
		'pam_selinux.so',
		'pam_loginuid.so',
		'pam_namespace.so',
		'pam_keyinit.so',
		'pam_motd.so',
	]);
	assert.deepEqual(pamModules(fixture('pam/debian-12-common-session')), ['pam_permit.so', 'pam_deny.so', 'pam_unix.so', 'pam_systemd.so']);
});

test('addPamLine on Debian 12 sshd: below the locale pam_env line, exactly where the guide puts it', () => {
	const text = fixture('pam/debian-12-sshd');
	const result = addPamLine(text, guide);
	assert.deepEqual(result, {
		text: replaceOnce(
			text,
			'session    required     pam_env.so user_readenv=1 envfile=/etc/default/locale\n',
			'session    required     pam_env.so user_readenv=1 envfile=/etc/default/locale\n# waymark: added\nsession    required     pam_unbit.so\n',
		),
		changed: true,
	});
	assert.deepEqual(addPamLine(result.text, guide), {text: result.text, changed: false});
	assert.deepEqual(pamModules(result.text).at(-1), 'pam_unbit.so');
});

test('addPamLine on Debian 12 login: after its last pam_env line', () => {
	const text = fixture('pam/debian-12-login');
	const intent = {line: 'session optional pam_unbit.so', after: {type: 'session', module: 'pam_env.so'}};
	const result = addPamLine(text, intent);
	assert.deepEqual(result, {
		text: replaceOnce(
			text,
			'session       required   pam_env.so readenv=1 envfile=/etc/default/locale\n',
			'session       required   pam_env.so readenv=1 envfile=/etc/default/locale\n# waymark: added\nsession optional pam_unbit.so\n',
		),
		changed: true,
	});
	assert.deepEqual(addPamLine(result.text, intent), {text: result.text, changed: false});
});

test('addPamLine on RHEL 9 sshd (no pam_env): after the last session rule', () => {
	const text = fixture('pam/rhel-9-sshd');
	const result = addPamLine(text, guide);
	assert.deepEqual(result, {text: `${text}# waymark: added\nsession    required     pam_unbit.so\n`, changed: true});
	assert.deepEqual(addPamLine(result.text, guide), {text: result.text, changed: false});
});

test('addPamLine: an equivalent rule with other spacing or arguments counts; another control does not', () => {
	const text = fixture('pam/debian-12-sshd');
	assert.deepEqual(addPamLine(text, {line: 'SESSION Required /lib/x86_64-linux-gnu/security/pam_limits.so conf=/etc/x'}), {text, changed: false});
	assert.deepEqual(
		addPamLine(text, {line: 'session [success=ok  default=bad] pam_selinux.so', after: {type: 'session', module: 'pam_selinux.so'}}).changed,
		true,
	);
	assert.deepEqual(addPamLine(text, {line: 'session [success=ok ignore=ignore module_unknown=ignore default=bad] pam_selinux.so open'}), {
		text,
		changed: false,
	});
	assert.equal(addPamLine(text, {line: 'session optional pam_env.so'}).changed, true);
});

test('addPamLine falls back to the end of the file and keeps a missing final newline missing', () => {
	assert.deepEqual(addPamLine('@include common-auth', {line: 'session required pam_unbit.so', after: {type: 'session', module: 'pam_env.so'}}), {
		text: '@include common-auth\n# waymark: added\nsession required pam_unbit.so',
		changed: true,
	});
	assert.deepEqual(addPamLine('', {line: 'auth required pam_x.so'}), {text: '# waymark: added\nauth required pam_x.so\n', changed: true});
});

test('addPamLine inserts after the whole of a continued line', () => {
	const text = 'session required pam_env.so \\\n    readenv=1\nsession required pam_limits.so\n';
	assert.equal(
		addPamLine(text, guide).text,
		'session required pam_env.so \\\n    readenv=1\n# waymark: added\nsession    required     pam_unbit.so\nsession required pam_limits.so\n',
	);
});

test('addPamLine refuses what is not a single module rule', () => {
	for (const line of [
		'@include common-session',
		'session required',
		'sessions required pam_x.so',
		'session required pam_x.so\nauth sufficient pam_permit.so',
		'session required pam_x.so # note',
		'',
	]) {
		assert.throws(
			() => addPamLine('', {line}),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}
});
