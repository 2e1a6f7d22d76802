// pam-session as data: a required line for a missing module is refused; a present module goes below pam_env.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary} from '../step-harness.js';
import {nodeAnswers} from './answers.js';

const sshd = fixture('pam/debian-12-sshd');
const installed = '/lib/x86_64-linux-gnu/security/pam_unbit.so\n';

export const pamSessionCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'pam-session',
	answers: nodeAnswers,
	cases: [
		{
			name: 'a required line for a missing module, with no source to build it: refused',
			answers: {pamSource: ''},
			facts: {pam: sshd, module: ''},
			expected: {throws: /Refused: pam_unbit\.so is not installed/},
		},
		{
			name: 'the module is installed: the line goes right below pam_env',
			facts: {pam: sshd, module: installed},
			expected: ['file /etc/pam.d/sshd'],
			checks: {'pam-module': 'pass'},
			also: plan => {
				const lines = summary(plan)[0]![1].split('\n');
				const env = lines.findLastIndex(line => /^session\s+required\s+pam_env\.so/.test(line));
				assert.ok(env !== -1);
				assert.deepEqual(lines.slice(env + 1, env + 3), ['# waymark: added', 'session required pam_unbit.so']);
			},
		},
		{
			name: 'the line is in place but a new login fails: the live check fails with ssh’s reason, whatever the file says',
			facts: {pam: `${sshd}session required pam_unbit.so\n`, module: installed, login: {text: 'Connection closed by 10.99.0.2 port 22', exitCode: 1}},
			expected: 'noop',
			checks: {'pam-module': 'pass', 'fresh-login': 'fail'},
			also: (_plan, checks) => {
				assert.match(checks.find(check => check.id === 'fresh-login')?.evidence ?? '', /Connection closed by 10\.99\.0\.2/);
			},
		},
		{
			name: 'a new login works: the live check passes',
			facts: {pam: `${sshd}session required pam_unbit.so\n`, module: installed, login: ''},
			expected: 'noop',
			checks: {'pam-module': 'pass', 'fresh-login': 'pass'},
		},
		{
			name: 'no login to prove (an offline image, this machine’s console): no live check rather than a guess',
			facts: {pam: `${sshd}session required pam_unbit.so\n`, module: installed, login: {unavailable: true}},
			expected: 'noop',
			checks: {'pam-module': 'pass'},
			also: (_plan, checks) => {
				assert.equal(
					checks.some(check => check.id === 'fresh-login'),
					false,
				);
			},
		},
		{
			name: 'missing with a source: built first, then the line',
			facts: {pam: sshd, module: ''},
			expected: ['command Build pam_unbit.so from https://github.com/unbit/pam-unbit', 'file /etc/pam.d/sshd'],
			checks: {'pam-module': 'fail'},
			after: {module: installed},
		},
		{
			name: 'no such PAM file: said, with the answer to check',
			facts: {pam: null, module: installed},
			expected: {throws: /\/etc\/pam\.d\/sshd does not exist on ssh:node1/},
		},
		{name: 'no PAM line chosen: the stack is left alone', answers: {pamLine: ''}, facts: {pam: sshd, module: ''}, expected: 'noop'},
	],
};
