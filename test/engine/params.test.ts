import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseParam, resolveAnswers} from '../../source/engine/params.js';
import type {Param, Wizard} from '../../source/engine/types.js';

const cases: Array<[Param['type'], unknown, boolean]> = [
	['ipv4', '192.0.2.10', true],
	['ipv4', '256.1.1.1', false],
	['ipv4', '01.2.3.4', false],
	['ipv4', '1.2.3.4; reboot', false],
	['cidr', '10.8.0.0/24', true],
	['cidr', '10.8.0.0/33', false],
	['cidr', '10.8.0.0', false],
	['port', '999', true],
	['port', '0', false],
	['port', '65536', false],
	['port', '22 ', false],
	['hostname', 'node1.example.com', true],
	['hostname', '-bad.example.com', false],
	['hostname', 'a_b.example.com', false],
	['hostname', '$(id).example.com', false],
	['path', '/etc/uwsgi', true],
	['path', 'etc/uwsgi', false],
	['path', '/etc/../root', false],
	['path', "/etc/it's", false],
	['string', 'session required pam_unbit.so', true],
	['string', 'a $(reboot)', false],
	['string', 'quote"d', false],
	['string', "single'quote", false],
	['string', 'new\nline', false],
	['string', 'back`tick`', false],
	['ipv4-list', '192.0.2.2, 192.0.2.3 192.0.2.4', true],
	['ipv4-list', '192.0.2.2, nope', false],
	['word-list', 'git make build-essential', true],
	['word-list', 'git;reboot', false],
	['boolean', 'yes', true],
	['boolean', 'maybe', false],
	['secret', 'pa$$ word "quoted"', true],
	['secret', 'two\nlines', false],
];

test('each type accepts its form and rejects the rest, naming the field', () => {
	for (const [type, raw, ok] of cases) {
		const {value, error} = parseParam({name: 'field', type, help: 'h'}, raw);
		if (ok) {
			assert.equal(error, undefined, `${type} ${JSON.stringify(raw)}: ${error?.message}`);
			assert.notEqual(value, undefined);
		} else {
			assert.ok(error, `${type} ${JSON.stringify(raw)} should be rejected`);
			assert.match(error.message, /^field: .*expected /);
			assert.equal(error.field, 'field');
		}
	}
});

test('lists come back as arrays', () => {
	assert.deepEqual(parseParam({name: 'p', type: 'ipv4-list', help: ''}, '192.0.2.2, 192.0.2.3').value, ['192.0.2.2', '192.0.2.3']);
});

const wizard: Wizard = {
	id: 'demo',
	title: 'Demo',
	guide: 'none',
	summary: '',
	roles: ['node'],
	params: [
		{name: 'ip', type: 'ipv4', help: 'an address'},
		{name: 'port', type: 'port', help: 'a port', default: '999'},
		{name: 'note', type: 'string', help: 'optional', optional: true},
	],
	steps: [],
};

test('defaults fill in, missing params are listed, unknown ones are errors', () => {
	assert.deepEqual(resolveAnswers(wizard, {ip: '192.0.2.1'}), {answers: {ip: '192.0.2.1', port: '999', note: ''}, errors: [], missing: []});
	assert.deepEqual(
		resolveAnswers(wizard, {}).missing.map(param => param.name),
		['ip'],
	);
	assert.match(resolveAnswers(wizard, {ip: '192.0.2.1', typo: 1}).errors[0]!.message, /typo: not a parameter of demo/);
});
