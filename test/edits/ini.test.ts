import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {getIniValue, getIniValues, renderIni, setIniValues} from '../../source/edits/ini.js';
import {fixture, replaceOnce} from './fixture.js';

const php = () => fixture('php/debian-12-php.ini-production');

test('setIniValues on Debian 12 php.ini: uncomments ;cgi.fix_pathinfo=1 in place and replaces post_max_size', () => {
	const text = php();
	const values = {'cgi.fix_pathinfo': '0', post_max_size: '64M'};
	const result = setIniValues(text, 'PHP', values);
	let expected = replaceOnce(text, '\n;cgi.fix_pathinfo=1\n', '\n; waymark: was ";cgi.fix_pathinfo=1"\ncgi.fix_pathinfo=0\n');
	expected = replaceOnce(expected, '\npost_max_size = 8M\n', '\n; waymark: was "post_max_size = 8M"\npost_max_size = 64M\n');
	assert.deepEqual(result, {text: expected, changed: true});
	assert.deepEqual(setIniValues(result.text, 'PHP', values), {text: result.text, changed: false});
	assert.equal(getIniValue(result.text, 'PHP', 'cgi.fix_pathinfo'), '0');
	assert.equal(getIniValue(result.text, 'PHP', 'post_max_size'), '64M');
	// The comment blocks above both settings are untouched.
	assert.ok(result.text.includes('; https://php.net/cgi.fix-pathinfo\n; waymark: was ";cgi.fix_pathinfo=1"\n'));
	assert.ok(result.text.includes('; https://php.net/post-max-size\n; waymark: was "post_max_size = 8M"\n'));
});

test('setIniValues on php.ini: a commented default with an empty value gets a tidy separator', () => {
	const text = php();
	const result = setIniValues(text, 'Date', {'date.timezone': 'Europe/Rome'});
	assert.deepEqual(result, {
		text: replaceOnce(text, '\n;date.timezone =\n', '\n; waymark: was ";date.timezone ="\ndate.timezone = Europe/Rome\n'),
		changed: true,
	});
	assert.equal(setIniValues(result.text, 'Date', {'date.timezone': 'Europe/Rome'}).changed, false);
});

test('setIniValues on php.ini: list values go after the commented examples of the same key', () => {
	const text = php();
	const result = setIniValues(text, 'PHP', {extension: ['mbstring', 'intl']});
	assert.deepEqual(result, {
		text: replaceOnce(text, '\n;extension=zip\n', '\n;extension=zip\n; waymark: added\nextension = mbstring\nextension = intl\n'),
		changed: true,
	});
	assert.deepEqual(setIniValues(result.text, 'PHP', {extension: ['intl', 'mbstring']}), {text: result.text, changed: false});
	assert.deepEqual(getIniValues(result.text, 'PHP', 'extension'), ['mbstring', 'intl']);
});

test('setIniValues on php.ini: nothing to do when the value is already there', () => {
	const text = php();
	assert.deepEqual(setIniValues(text, 'PHP', {post_max_size: '8M', upload_max_filesize: '2M'}), {text, changed: false});
	assert.deepEqual(setIniValues(text, 'CLI Server', {'cli_server.color': 'On'}), {text, changed: false});
});

test('setIniValues on the guide local.ini: replaces values, keeps comments, adds a second env line', () => {
	const text = fixture('uwsgi/uwsgi-it-guide-local.ini');
	const values = {public_ip: '192.0.2.10', api_domain: 'api.example.com', env: ['LANG=en_US.UTF-8', 'TZ=UTC']};
	const result = setIniValues(text, 'uwsgi', values);
	assert.deepEqual(result, {
		text: [
			'[uwsgi]',
			'; waymark: was "public_ip = x.x.x.x"',
			'public_ip = 192.0.2.10',
			'; waymark: was "api_domain = example.com"',
			'api_domain = api.example.com',
			'; additional options',
			'env = LANG=en_US.UTF-8',
			'; waymark: added',
			'env = TZ=UTC',
			'',
		].join('\n'),
		changed: true,
	});
	assert.deepEqual(setIniValues(result.text, 'uwsgi', values), {text: result.text, changed: false});
	assert.deepEqual(getIniValues(result.text, 'uwsgi', 'env'), ['LANG=en_US.UTF-8', 'TZ=UTC']);
});

test('setIniValues on a uWSGI emperor ini: new keys at the end of their section, # comments kept, other sections alone', () => {
	const text = fixture('uwsgi/vassal-emperor.ini');
	const result = setIniValues(text, 'uwsgi', {'die-on-term': 'true', 'http-processes': '2', 'hook-as-root': ['write:/proc/sys/net/ipv4/ip_forward 1']});
	assert.deepEqual(result, {
		text: replaceOnce(
			replaceOnce(
				replaceOnce(text, '\n#http-processes = 4\n', '\n; waymark: was "#http-processes = 4"\nhttp-processes = 2\n'),
				'hook-as-root = write:/proc/sys/kernel/dmesg_restrict 1\n',
				'hook-as-root = write:/proc/sys/kernel/dmesg_restrict 1\n; waymark: added\nhook-as-root = write:/proc/sys/net/ipv4/ip_forward 1\n',
			),
			'env = LC_ALL=en_US.UTF-8\n',
			'env = LC_ALL=en_US.UTF-8\n; waymark: added\ndie-on-term = true\n',
		),
		changed: true,
	});
	assert.equal(
		setIniValues(result.text, 'uwsgi', {'die-on-term': 'true', 'http-processes': '2', 'hook-as-root': ['write:/proc/sys/net/ipv4/ip_forward 1']}).changed,
		false,
	);
	assert.equal(getIniValue(result.text, 'stats', 'stats'), '127.0.0.1:5002');
});

test('setIniValues adds a missing section at the end, and the global section at the top', () => {
	const text = fixture('uwsgi/uwsgi-it-guide-local.ini');
	assert.deepEqual(setIniValues(text, 'legion', {'legion-node': 'cluster 192.0.2.11:4242'}), {
		text: `${text}\n[legion]\n; waymark: added\nlegion-node = cluster 192.0.2.11:4242\n`,
		changed: true,
	});
	assert.deepEqual(setIniValues(text, '', {version: '2'}), {text: `; waymark: added\nversion = 2\n\n${text}`, changed: true});
	assert.deepEqual(setIniValues('[a]\nx=1', 'a', {y: '2'}), {text: '[a]\nx=1\n; waymark: added\ny=2', changed: true});
});

test('setIniValues replaces the last of duplicate keys, the one PHP and uWSGI use', () => {
	const text = '[PHP]\nmemory_limit = 128M\nmemory_limit = 256M\n';
	assert.deepEqual(setIniValues(text, 'PHP', {memory_limit: '512M'}), {
		text: '[PHP]\nmemory_limit = 128M\n; waymark: was "memory_limit = 256M"\nmemory_limit = 512M\n',
		changed: true,
	});
	assert.deepEqual(setIniValues('[PHP]\nerror_log = "/var/log/php.log"\n', 'PHP', {error_log: '/var/log/php.log'}).changed, false);
	assert.deepEqual(setIniValues('[PHP]\nextension=exif ; after mbstring\n', 'PHP', {extension: ['exif']}).changed, false);
});

test('setIniValues with no file renders a new one', () => {
	assert.deepEqual(setIniValues(null, 'uwsgi', {public_ip: '192.0.2.10', env: ['A=1', 'B=2']}), {
		text: '[uwsgi]\npublic_ip = 192.0.2.10\nenv = A=1\nenv = B=2\n',
		changed: true,
	});
});

test('setIniValues refuses keys and values that would change the file structure', () => {
	const cases: Array<Record<string, string | string[]>> = [{'a b': '1'}, {'[x]': '1'}, {a: 'x\ny = 2'}, {a: ['ok', 'x\r\n']}, {';a': '1'}];
	for (const values of cases) {
		assert.throws(
			() => setIniValues('', 'uwsgi', values),
			(error: unknown) => error instanceof EditError && error.code === 'invalid',
		);
	}
});

test('renderIni writes a header, sections and repeated keys', () => {
	assert.equal(
		renderIni(
			{uwsgi: {public_ip: '192.0.2.10', api_domain: 'example.com', env: ['LANG=en_US.UTF-8']}, stats: {stats: '127.0.0.1:5002'}},
			'Written by Waymark\nsite-specific values',
		),
		'; Written by Waymark\n; site-specific values\n\n[uwsgi]\npublic_ip = 192.0.2.10\napi_domain = example.com\nenv = LANG=en_US.UTF-8\n\n[stats]\nstats = 127.0.0.1:5002\n',
	);
});

test('getIniValue reads only active lines of the named section', () => {
	const text = php();
	assert.equal(getIniValue(text, 'PHP', 'post_max_size'), '8M');
	assert.equal(getIniValue(text, 'PHP', 'cgi.fix_pathinfo'), undefined);
	assert.equal(getIniValue(text, 'Date', 'date.timezone'), undefined);
	assert.equal(getIniValue(text, 'Session', 'session.save_handler'), 'files');
	assert.equal(getIniValue(text, 'PHP', 'session.save_handler'), undefined);
	assert.deepEqual(getIniValues(fixture('uwsgi/vassal-emperor.ini'), 'uwsgi', 'hook-as-root'), [
		'exec:ip link set emperor0 up',
		'write:/proc/sys/kernel/dmesg_restrict 1',
	]);
});
