// foundation-cron as data: the guide's four jobs in /etc/cron.d/foundation, with the user field and URL_MAAS through
// the tunnel.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {answers, boundHypervisors, fileAt, secrets} from './fixtures.js';

const path = '/etc/cron.d/foundation';
export const guideCron = [
	'# Written by Waymark (hypervisors, step foundation-cron). Edit the answers and run the wizard again rather than this file.',
	'# The hypervisor side of the foundation MaaS: push state, apply container changes, fetch new ones, update the engine.',
	'SHELL=/bin/bash',
	'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
	"URL_MAAS='-k https://127.0.0.1:44443'",
	'',
	'*/5 * * * * root /opt/foundation/scripts/update_hypervisor.sh > /dev/null',
	'*/5 * * * * root /opt/foundation/scripts/update_containers.sh > /dev/null',
	'*/5 * * * * root /opt/foundation/scripts/add_containers.sh > /dev/null',
	'0 0 * * * root /opt/foundation/scripts/update_git.sh > /dev/null',
	'',
].join('\n');

export const foundationCronCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'foundation-cron',
	answers,
	secrets,
	cases: [
		{
			name: 'the four jobs written whole, run as root, curl -k through the tunnel; converges',
			facts: {[path]: null},
			expected: [`file ${path}`],
			notes: [/no reload is needed/],
			also: plan => assert.equal(fileAt(plan, path).after, guideCron),
		},
		{
			name: 'the MaaS directly and a certificate that verifies: no -k',
			answers: {maasUrl: 'https://maas.example.test:4443', maasInsecure: false},
			facts: {[path]: guideCron},
			expected: [`file ${path}`],
			also: plan => assert.match(fileAt(plan, path).after, /^URL_MAAS='https:\/\/maas\.example\.test:4443'$/m),
		},
		{name: 'as wanted', facts: {[path]: guideCron}, expected: 'noop'},
	],
};
