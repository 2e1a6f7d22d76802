// operator-key as data: a Waymark-made key in the login user's authorized_keys once, the account made if missing.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {answers, boundHypervisors, noAccount, offline, operatorKey, scriptOf, secrets} from './fixtures.js';

const spike = 'spike:x:1000:1000::/home/spike:/bin/bash\n';
const operatorLine = operatorKey.publicKey.replace(/ x$/, ' waymark-operator');
const create = 'Create the account spike';
const add = 'Add the operator key to ~spike/.ssh/authorized_keys';

/** The same step on every role: the key goes to every host. */
export const operatorKeyCases: CaseTable[] = ['hypervisor', 'webserver', 'dbserver'].map(
	(role): CaseTable => ({
		wizard: boundHypervisors,
		step: `operator-key-${role}`,
		answers,
		secrets,
		cases: [
			{
				name: 'a missing account is created, then the key added with ~/.ssh made 0700 for the user',
				facts: {passwd: noAccount, keys: ''},
				expected: [`command ${create}`, `command ${add}`],
				notes: [/ssh -i \/home\/op\/\.waymark\/vault\/hypervisors\/operator\/id_ed25519 spike@HOST/],
				after: {passwd: spike, keys: `${operatorLine}\n`},
				also: plan => {
					assert.match(scriptOf(plan, create), /useradd --create-home --shell \/bin\/bash spike/);
					const script = scriptOf(plan, add);
					assert.match(script, new RegExp(`grep -vF ${operatorKey.publicKey.split(' ')[1]!.replaceAll('+', '\\+')}`));
					assert.match(script, /install -d -m 700 -o spike/);
				},
			},
			{
				name: 'an account without the key gets it, beside the keys it has',
				facts: {passwd: spike, keys: 'ssh-ed25519 AAAAother other\n'},
				expected: [`command ${add}`],
				after: {keys: `ssh-ed25519 AAAAother other\n${operatorLine}\n`},
			},
			{
				name: 'a key already there is left alone, whatever other keys surround it',
				facts: {passwd: spike, keys: `ssh-ed25519 AAAAother other\n${operatorLine}\n`},
				expected: 'noop',
				notes: [/spike already accepts the operator key \(ssh-ed25519\)/],
			},
			{
				name: 'an rsa key is logged in with from its own file in the vault',
				answers: {operatorKeyType: 'rsa'},
				facts: {passwd: spike, keys: ''},
				expected: [`command ${add}`],
				notes: [/operator\/id_rsa spike@HOST/],
			},
			{
				name: 'an offline image cannot say who its users are: the key waits for the live host',
				target: offline,
				facts: {passwd: {unavailable: true}, keys: {unavailable: true}},
				expected: {unmet: 'deferred', reason: /Offline target: the key is installed for spike/},
			},
		],
	}),
);
