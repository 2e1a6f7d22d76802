// sshd-hardening as data (as the uwsgi-node guide sets it): a first-sorting drop-in where sshd_config has Include,
// else the main file before its first Match; checked by what `sshd -T` says sshd really uses.
import assert from 'node:assert/strict';
import type {Plan} from '../../../source/engine/types.js';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {context, facts, step} from '../step-harness.js';
import {checksOf} from './probe.js';
import {nodeAnswers} from '../uwsgi-node/answers.js';

const dropIn = 'file /etc/ssh/sshd_config.d/00-waymark.conf';
const reload = 'command Reload sshd (sessions stay open)';
const ubuntu2404 = fixture('sshd/ubuntu-24.04-sshd_config');
const ubuntu1310 = fixture('sshd/ubuntu-13.10-sshd_config');

/** `sshd -T` once the settings are in effect, as sshd prints them (lower-case keys). */
const wanted =
	'passwordauthentication no\nkbdinteractiveauthentication no\nx11forwarding no\nclientaliveinterval 30\nauthorizedkeysfile %h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys\n';

/** What the daemon tells a fresh connection (ssh -o PreferredAuthentications=none), before and after the reload. */
const offersPasswords = 'waymark-probe@127.0.0.1: Permission denied (publickey,password).\n';
const offersKeys = 'waymark-probe@127.0.0.1: Permission denied (publickey).\n';

function written(plan: Plan, path: string): string {
	const action = plan.actions.find(each => each.kind === 'file' && each.path === path);
	assert.ok(action?.kind === 'file', `the plan writes ${path}`);
	return action.after;
}

/** The drop-in as the step writes it, for a host where it is already in place. */
const ourDropIn = written(
	step(uwsgiNode, 'sshd-hardening').plan(context(uwsgiNode, nodeAnswers), facts({main: ubuntu2404, dropin: null, others: '', effective: wanted})),
	'/etc/ssh/sshd_config.d/00-waymark.conf',
);

export const sshdHardeningCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'sshd-hardening',
	answers: nodeAnswers,
	cases: [
		{
			name: 'with an Include line the settings go into a first-sorting drop-in, then sshd reloads',
			facts: {main: ubuntu2404, dropin: null, others: '/etc/ssh/sshd_config.d/50-cloud-init.conf\n', effective: ''},
			expected: [dropIn, reload],
			also: plan => {
				const text = written(plan, '/etc/ssh/sshd_config.d/00-waymark.conf');
				assert.match(text, /^AuthorizedKeysFile %h\/\.ssh\/authorized_keys %h\/\.ssh\/uwsgi_authorized_keys$/m);
				assert.match(text, /^PasswordAuthentication no$/m);
				assert.match(text, /^KbdInteractiveAuthentication no$/m);
				assert.match(text, /^X11Forwarding no$/m);
				assert.match(text, /^ClientAliveInterval 30$/m);
				assert.deepEqual(plan.notes, [], '50-cloud-init.conf sorts after 00-waymark.conf');
			},
		},
		{
			name: 'a drop-in sorting before ours is named: it may set the same keys first',
			facts: {main: ubuntu2404, dropin: null, others: '/etc/ssh/sshd_config.d/00-aaa.conf\n', effective: ''},
			expected: [dropIn, reload],
			notes: [/00-aaa\.conf sort\(s\) before 00-waymark\.conf/],
		},
		{
			name: 'without Include (Ubuntu 13.10) the main file is edited before the first Match',
			facts: {main: ubuntu1310, dropin: null, others: '', effective: ''},
			expected: ['file /etc/ssh/sshd_config', reload],
			notes: [/no Include line/],
			also: plan => {
				const after = written(plan, '/etc/ssh/sshd_config');
				assert.match(after, /^PasswordAuthentication no$/m);
				const match = after.search(/^Match /m);
				assert.notEqual(match, -1, 'the fixture ends in a Match block');
				// OpenSSH 6.2 spells KbdInteractiveAuthentication by its old alias, which the file already sets to no.
				for (const line of ['PasswordAuthentication no', '(KbdInteractive|ChallengeResponse)Authentication no', 'X11Forwarding no', 'ClientAliveInterval 30']) {
					const at = after.search(new RegExp(`^${line}$`, 'm'));
					assert.ok(at !== -1 && at < match, `${line} before the Match block`);
				}

				assert.equal(after.slice(match), ubuntu1310.slice(ubuntu1310.search(/^Match /m)), 'the Match block is untouched');
			},
		},
		{
			name: 'sshd -T says every wanted value: every check passes',
			facts: {main: ubuntu2404, dropin: null, others: '', effective: wanted},
			expected: [dropIn, reload],
			checks: {
				'sshd-authorizedkeysfile': 'pass',
				'sshd-passwordauthentication': 'pass',
				'sshd-kbdinteractiveauthentication': 'pass',
				'sshd-x11forwarding': 'pass',
				'sshd-clientaliveinterval': 'pass',
			},
		},
		{
			// Debian 12's defaults, as sshd -T prints them: password logins on, keys2 read.
			name: 'an earlier file wins (sshd -T shows the defaults): the checks fail',
			facts: {main: ubuntu2404, dropin: null, others: '', effective: fixture('sshd/debian-12-sshd-T.txt')},
			expected: [dropIn, reload],
			checks: {'sshd-passwordauthentication': 'fail', 'sshd-authorizedkeysfile': 'fail'},
			also: () => {
				const checks = checksOf(uwsgiNode, 'sshd-hardening', nodeAnswers, {effective: fixture('sshd/debian-12-sshd-T.txt')});
				assert.equal(checks.find(check => check.id === 'sshd-passwordauthentication')?.evidence, 'sshd -T: passwordauthentication yes');
			},
		},
		{
			name: 'files in place and the running daemon offers keys only: nothing to do, the live check passes',
			facts: {main: ubuntu2404, dropin: ourDropIn, others: '/etc/ssh/sshd_config.d/00-waymark.conf\n', effective: wanted, offered: offersKeys},
			expected: 'noop',
			checks: {'sshd-offered-methods': 'pass', 'sshd-passwordauthentication': 'pass'},
		},
		{
			// A run cut off between writing the drop-in and reloading: sshd -T (the files) is right, the daemon is not.
			name: 'files in place but the running daemon still offers passwords: the reload is planned, the live check fails',
			facts: {main: ubuntu2404, dropin: ourDropIn, others: '/etc/ssh/sshd_config.d/00-waymark.conf\n', effective: wanted, offered: offersPasswords},
			expected: [reload],
			notes: [/running sshd still offers password: its config was changed but it was not reloaded/],
			checks: {'sshd-offered-methods': 'fail', 'sshd-passwordauthentication': 'pass'},
			after: {offered: offersKeys},
		},
		{
			name: 'the daemon cannot be asked (no ssh client on the host): the files decide, the live check warns',
			facts: {main: ubuntu2404, dropin: ourDropIn, others: '', effective: wanted, offered: 'no ssh client\n'},
			expected: 'noop',
			checks: {'sshd-offered-methods': 'warn'},
		},
		{
			name: 'offline image: no daemon to ask, no live check made up',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {main: ubuntu2404, dropin: ourDropIn, others: {unavailable: true}, effective: {unavailable: true}, offered: {unavailable: true}},
			expected: 'noop',
			also: () => {
				const checks = checksOf(uwsgiNode, 'sshd-hardening', nodeAnswers, {effective: {unavailable: true}, offered: {unavailable: true}});
				assert.deepEqual(checks, []);
			},
		},
		{
			name: 'no sshd_config: openssh-server is not installed',
			facts: {main: null, dropin: null, others: '', effective: {text: '', exitCode: 127}},
			expected: {throws: /\/etc\/ssh\/sshd_config does not exist on ssh:node1/},
		},
	],
};
