// nss-module as data: the module word goes into nsswitch.conf only when libnss_<name>.so.2 exists or can be built.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary, type FactValues} from '../step-harness.js';
import {nodeAnswers} from './answers.js';

const nsswitch = fixture('nsswitch/debian-12-nsswitch.conf');
const none: FactValues = {nsswitch, library: '', authselect: {text: '', exitCode: 1}};
const debianModules = ['compat', 'dns', 'files', 'hesiod', 'systemd'].map(name => `/lib/x86_64-linux-gnu/libnss_${name}.so.2\n`).join('');
const built = '/lib/x86_64-linux-gnu/libnss_unbit.so.2\n';

export const nssModuleCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'nss-module',
	answers: nodeAnswers,
	cases: [
		{
			name: 'no module and no source: nsswitch.conf is left alone (glibc would skip the module silently)',
			answers: {nssSource: ''},
			facts: none,
			expected: 'noop',
			notes: [/libnss_unbit\.so\.2 is not installed and no source was given/],
		},
		{
			name: 'the module is installed: added right after files',
			facts: {...none, library: built, modules: `${debianModules}${built}`},
			expected: ['file /etc/nsswitch.conf'],
			also: plan => assert.match(summary(plan)[0]![1], /^passwd:\s+files unbit systemd$/m),
		},
		{
			name: 'missing but a source is given: built first, then named',
			facts: {...none, modules: debianModules},
			expected: ['command Build unbit from https://github.com/unbit/nss-unbit', 'file /etc/nsswitch.conf'],
			after: {library: built, modules: `${debianModules}${built}`},
		},
		{
			name: 'named in nsswitch.conf but not installed: the check fails',
			facts: {...none, nsswitch: nsswitch.replace(/^passwd:(\s+)files/m, 'passwd:$1files unbit'), modules: debianModules},
			expected: ['command Build unbit from https://github.com/unbit/nss-unbit', 'file /etc/nsswitch.conf'],
			checks: {'nss-passwd': 'fail'},
		},
		{
			name: 'root resolves and a new login works: the live checks pass',
			facts: {...none, library: built, modules: `${debianModules}${built}`, lookup: 'root:x:0:0:root:/root:/bin/bash\nroot:x:0:\n', login: ''},
			expected: ['file /etc/nsswitch.conf'],
			checks: {'nss-lookup': 'pass', 'fresh-login': 'pass'},
		},
		{
			name: 'the file names only installed modules but root no longer resolves: the live lookup fails, so does a new login',
			facts: {
				...none,
				nsswitch: nsswitch.replace(/^passwd:(\s+)files/m, 'passwd:$1files unbit').replace(/^group:(\s+)files/m, 'group:$1files unbit'),
				library: built,
				modules: `${debianModules}${built}`,
				lookup: {text: '', exitCode: 2},
				login: {text: 'Connection closed by 10.99.0.2 port 22', exitCode: 1},
			},
			expected: ['file /etc/nsswitch.conf'],
			checks: {'nss-lookup': 'fail', 'fresh-login': 'fail'},
		},
		{
			name: 'authselect owns nsswitch.conf: said, so a profile is made instead',
			facts: {...none, library: built, authselect: '/usr/bin/authselect\nProfile ID: sssd\n'},
			expected: ['file /etc/nsswitch.conf'],
			notes: [/authselect manages nsswitch\.conf/],
		},
		{name: 'no module chosen: nothing', answers: {nssModule: ''}, facts: none, expected: 'noop', notes: [/No NSS module chosen/]},
	],
};
