// What a refusal tells the operator to do next: the case tables match the message, these the remedy.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import {refusalOf} from '../common/probe.js';
import {nodeAnswers} from './answers.js';
import {quotaHost} from './fstab-quota.cases.js';
import {bareFirewall} from './tuntap-firewall.cases.js';

test('firewall beside an active ufw: the remedy says the ufw commands to use', () => {
	const refusal = refusalOf(uwsgiNode, 'tuntap-firewall', nodeAnswers, {...bareFirewall, iptables: '/usr/sbin/iptables\n', input: '', ufw: 'Status: active\n'});
	assert.match(refusal.remedy, /ufw allow proto udp from 192\.0\.2\.11 port 999 to 192\.0\.2\.10 port 999/);
});

test('fstab quota without dumpe2fs: the remedy is e2fsprogs', () => {
	const refusal = refusalOf(uwsgiNode, 'fstab-quota', nodeAnswers, {...quotaHost, dumpe2fs: {text: '', exitCode: 1}});
	assert.match(refusal.message, /dumpe2fs is missing/);
	assert.match(refusal.remedy, /e2fsprogs/);
});

test('pam: a required line for a missing module is a StepFailure, with what to do first', () => {
	const refusal = refusalOf(uwsgiNode, 'pam-session', {...nodeAnswers, pamSource: ''}, {pam: fixture('pam/debian-12-sshd'), module: ''});
	assert.match(refusal.message, /Refused: pam_unbit\.so is not installed/);
	assert.match(refusal.remedy, /Install the module first/);
});
