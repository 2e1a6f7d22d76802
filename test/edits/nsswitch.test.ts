import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EditError} from '../../source/edits/edit-result.js';
import {addNssModule, nssSources, parseNsswitch} from '../../source/edits/nsswitch.js';
import {fixture, replaceOnce} from './fixture.js';

const unbit = {databases: ['passwd', 'group', 'shadow'], module: 'unbit'};

/** The fixture with each `line` replaced by its marker and new text. */
function expectChanged(text: string, changes: ReadonlyArray<readonly [string, string]>): string {
	return changes.reduce((result, [line, after]) => replaceOnce(result, `\n${line}\n`, `\n# waymark: was "${line}"\n${after}\n`), text);
}

const cases: Array<{name: string; file: string; changes: Array<[string, string]>}> = [
	{
		name: 'Debian 12: after files, before systemd',
		file: 'nsswitch/debian-12-nsswitch.conf',
		changes: [
			['passwd:         files systemd', 'passwd:         files unbit systemd'],
			['group:          files systemd', 'group:          files unbit systemd'],
			['shadow:         files systemd', 'shadow:         files unbit systemd'],
		],
	},
	{
		name: 'Ubuntu 13.10: exactly what the guide wrote by hand',
		file: 'nsswitch/ubuntu-13.10-nsswitch.conf',
		changes: [
			['passwd:         compat', 'passwd:         compat unbit'],
			['group:          compat', 'group:          compat unbit'],
			['shadow:         compat', 'shadow:         compat unbit'],
		],
	},
	{
		name: 'RHEL 9 (authselect): after files, wherever files stands',
		file: 'nsswitch/rhel-9-authselect-nsswitch.conf',
		changes: [
			['passwd:     sss files systemd', 'passwd:     sss files unbit systemd'],
			['group:      sss files systemd', 'group:      sss files unbit systemd'],
			['shadow:     files sss', 'shadow:     files unbit sss'],
		],
	},
];

for (const {name, file, changes} of cases) {
	test(`addNssModule: ${name}`, () => {
		const text = fixture(file);
		const result = addNssModule(text, unbit);
		assert.deepEqual(result, {text: expectChanged(text, changes), changed: true});
		assert.deepEqual(addNssModule(result.text, unbit), {text: result.text, changed: false});
		for (const database of unbit.databases) {
			assert.ok(nssSources(result.text, database)!.includes('unbit'));
		}
	});
}

test('addNssModule keeps an action with the service it qualifies', () => {
	const text = fixture('nsswitch/ubuntu-13.10-nsswitch.conf');
	assert.deepEqual(addNssModule(text, {databases: ['hosts'], module: 'mymachines'}), {
		text: expectChanged(text, [
			['hosts:          files mdns4_minimal [NOTFOUND=return] dns mdns4', 'hosts:          files mymachines mdns4_minimal [NOTFOUND=return] dns mdns4'],
		]),
		changed: true,
	});
	assert.equal(
		addNssModule('hosts: files [NOTFOUND=return] dns\n', {databases: ['hosts'], module: 'x'}).text,
		'# waymark: was "hosts: files [NOTFOUND=return] dns"\nhosts: files [NOTFOUND=return] x dns\n',
	);
});

test('addNssModule appends when there is neither files nor compat, and keeps trailing comments', () => {
	const text = fixture('nsswitch/debian-12-nsswitch.conf');
	assert.deepEqual(addNssModule(text, {databases: ['netgroup'], module: 'sss'}), {
		text: expectChanged(text, [['netgroup:       nis', 'netgroup:       nis sss']]),
		changed: true,
	});
	assert.equal(
		addNssModule('passwd:\tfiles\tldap # local\n', {databases: ['passwd'], module: 'unbit'}).text,
		'# waymark: was "passwd:\tfiles\tldap # local"\npasswd:\tfiles\tunbit\tldap # local\n',
	);
	assert.equal(addNssModule('passwd:\n', {databases: ['passwd'], module: 'unbit'}).text, '# waymark: was "passwd:"\npasswd: unbit\n');
	assert.equal(
		addNssModule('hosts: files[NOTFOUND=return]dns\n', {databases: ['hosts'], module: 'x'}).text,
		'# waymark: was "hosts: files[NOTFOUND=return]dns"\nhosts: files[NOTFOUND=return] x dns\n',
	);
});

test('addNssModule adds a missing database line in the file column, after the database before it', () => {
	const text = fixture('nsswitch/debian-12-nsswitch.conf');
	const result = addNssModule(text, {databases: ['passwd', 'group', 'initgroups'], module: 'unbit'});
	let expected = expectChanged(text, [
		['passwd:         files systemd', 'passwd:         files unbit systemd'],
		['group:          files systemd', 'group:          files unbit systemd'],
	]);
	expected = replaceOnce(
		expected,
		'group:          files unbit systemd\n',
		'group:          files unbit systemd\n# waymark: added\ninitgroups:     files unbit\n',
	);
	assert.deepEqual(result, {text: expected, changed: true});
	assert.deepEqual(addNssModule(result.text, {databases: ['passwd', 'group', 'initgroups'], module: 'unbit'}), {text: result.text, changed: false});
});

test('addNssModule on a file with only some databases: missing ones follow each other in order', () => {
	assert.deepEqual(addNssModule('# minimal\npasswd:     files\nhosts:      files dns', unbit), {
		text: '# minimal\n# waymark: was "passwd:     files"\npasswd:     files unbit\n# waymark: added\ngroup:      files unbit\nshadow:     files unbit\nhosts:      files dns',
		changed: true,
	});
	assert.deepEqual(addNssModule('', unbit), {text: '# waymark: added\npasswd: files unbit\ngroup: files unbit\nshadow: files unbit\n', changed: true});
});

test('addNssModule refuses names that are not plain words', () => {
	assert.throws(
		() => addNssModule('', {databases: ['passwd'], module: 'a b'}),
		(error: unknown) => error instanceof EditError && error.code === 'invalid',
	);
	assert.throws(() => addNssModule('', {databases: ['pass:wd'], module: 'x'}), EditError);
});

test('nssSources and parseNsswitch leave actions and comments out', () => {
	const text = fixture('nsswitch/rhel-9-authselect-nsswitch.conf');
	assert.deepEqual(nssSources(text, 'hosts'), ['files', 'resolve', 'myhostname', 'dns']);
	assert.deepEqual(nssSources(text, 'passwd'), ['sss', 'files', 'systemd']);
	assert.equal(nssSources(text, 'gshadow'), null);
	assert.deepEqual(nssSources(fixture('nsswitch/debian-12-nsswitch.conf'), 'passwd'), ['files', 'systemd']);
	assert.deepEqual(
		parseNsswitch(fixture('nsswitch/ubuntu-13.10-nsswitch.conf')).map(entry => entry.database),
		['passwd', 'group', 'shadow', 'hosts', 'networks', 'protocols', 'services', 'ethers', 'rpc', 'netgroup'],
	);
	assert.deepEqual(nssSources('passwd: files\npasswd: files ldap\n', 'passwd'), ['files', 'ldap']);
});
