// Every parameter of every wizard against hostile input: each value a type must refuse is refused before anything
// runs, by the same check the CLI and the TUI use, with an error that names the field.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UsageError} from '../../source/engine/errors.js';
import type {Param, Wizard} from '../../source/engine/types.js';
import {checkRequest} from '../../source/session.js';
import {wizards} from '../../wizards/index.js';

const hostile: ReadonlyArray<{name: string; value: unknown; refusedBy: (param: Param) => boolean}> = [
	{name: 'empty', value: '', refusedBy: param => !param.optional && param.type !== 'boolean'},
	{name: '100k characters', value: 'a'.repeat(100_000), refusedBy: () => true},
	{name: 'a NUL byte', value: 'a\u0000b', refusedBy: () => true},
	{name: 'CR/LF', value: 'a\r\nb', refusedBy: () => true},
	{name: 'command substitution', value: '$(touch /tmp/pwned)', refusedBy: param => param.type !== 'secret'},
	{name: 'backticks', value: '`id`', refusedBy: param => param.type !== 'secret'},
	{name: 'a semicolon', value: 'a;b', refusedBy: param => param.type !== 'secret'},
	{name: 'a pipe', value: 'a|b', refusedBy: param => param.type !== 'secret'},
	{name: 'quotes', value: `a'b"c`, refusedBy: param => param.type !== 'secret'},
	{name: 'a leading dash', value: '-oProxyCommand=sh', refusedBy: param => param.type !== 'secret'},
	{name: 'a list item with a leading dash', value: ['-oDPkg::Pre-Invoke::=/tmp/evil', 'git'], refusedBy: () => true},
	{name: 'Unicode look-alikes', value: 'a\uFF1Bb\u2024c', refusedBy: param => param.type !== 'secret'},
	{name: 'a climb out with ..', value: '../../etc/passwd', refusedBy: param => param.type !== 'secret'},
	{name: 'an out-of-range number', value: '99999999999', refusedBy: param => param.type !== 'secret' && param.type !== 'string' && param.type !== 'word-list'},
	{name: 'a negative number', value: '-1', refusedBy: param => param.type !== 'secret'},
];

/** Valid answers for every required param, so only the hostile one can be wrong. */
function requiredAnswers(wizard: Wizard): Record<string, unknown> {
	const examples: Partial<Record<Param['type'], unknown>> = {
		ipv4: '192.0.2.10',
		hostname: 'node1.example.test',
		cidr: '10.8.0.0/24',
		port: '1194',
		string: 'spike',
		path: '/srv',
		'ipv4-list': ['192.0.2.11'],
		'word-list': ['a'],
		secret: 's3cret',
		integer: '5',
	};
	// A few params have a meaning across fields (one value per node, inside the mesh): valid ones for those.
	const specific: Record<string, unknown> = {nodeMeshIps: ['10.42.42.2'], ranges: ['10.0.0.0/24'], nodeHostnames: ['europe.vpn.example']};
	return Object.fromEntries(
		wizard.params
			.filter(param => param.default === undefined && !param.optional)
			.map(param => [param.name, specific[param.name] ?? examples[param.type] ?? param.choices?.[0]]),
	);
}

function bindings(wizard: Wizard): Record<string, string[]> {
	return Object.fromEntries(wizard.roles.map((role, index) => [role, [`ssh:host${index}`]]));
}

for (const wizard of wizards) {
	test(`${wizard.id}: every parameter refuses hostile input before anything runs, naming the field`, () => {
		let tried = 0;
		for (const param of wizard.params) {
			for (const each of hostile) {
				if (!each.refusedBy(param)) {
					continue;
				}

				tried++;
				const request = {guide: wizard.id, bindings: bindings(wizard), answers: {...requiredAnswers(wizard), [param.name]: each.value}};
				assert.throws(
					() => checkRequest(wizard, request, {yes: true}),
					(error: unknown) => error instanceof UsageError && error.message.includes(`${param.name}:`) && error.message.length < 2000,
					`${wizard.id} ${param.name} (${param.type}) took ${each.name}`,
				);
			}
		}

		assert.ok(tried > wizard.params.length * 8, `${tried} hostile answers tried`);
	});
}

test('the required answers used above are valid on their own', () => {
	for (const wizard of wizards) {
		assert.doesNotThrow(() => checkRequest(wizard, {guide: wizard.id, bindings: bindings(wizard), answers: requiredAnswers(wizard)}, {yes: true}), wizard.id);
	}
});

test('values with real limits elsewhere are held to them up front: a cloudpipe user name is a 64-character common name', () => {
	const cloudpipe = wizards.find(wizard => wizard.id === 'cloudpipe')!;
	const request = (clients: string[]) => ({guide: 'cloudpipe', bindings: bindings(cloudpipe), answers: {...requiredAnswers(cloudpipe), clients}});
	assert.doesNotThrow(() => checkRequest(cloudpipe, request(['a'.repeat(64)]), {yes: true}));
	assert.throws(
		() => checkRequest(cloudpipe, request(['a'.repeat(65)]), {yes: true}),
		(error: unknown) => error instanceof UsageError && /clients: .* is not a user name; expected up to 64/.test(error.message),
	);
	assert.throws(() => checkRequest(cloudpipe, {...request([]), answers: {...request([]).answers, crlDays: '0'}}, {yes: true}), /crlDays: 0 is out of range/);
});
