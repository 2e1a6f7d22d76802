// tunnel-relay as data: a `tunnel` account whose key may only hold the relay port open, said again in a Match User
// block, as a drop-in where sshd_config includes them and at the end of sshd_config where it does not.
import assert from 'node:assert/strict';
import {relayMatchBlock} from '../../../wizards/hypervisors/tunnel-relay.js';
import {relayKeyLine} from '../../../wizards/hypervisors/tunnel-relay.js';
import type {CaseTable} from '../cases.js';
import {fixture} from '../../edits/fixture.js';
import {answers, boundHypervisors, caseContext, fileAt, hv2, noAccount, offline, secrets} from './fixtures.js';

const dropIn = '/etc/ssh/sshd_config.d/50-waymark-tunnel.conf';
const main = fixture('sshd/debian-12-sshd_config');
const ctx = caseContext();
const block = relayMatchBlock(ctx);
const line = relayKeyLine(ctx);
const tunnelAccount = 'tunnel:x:999:999::/home/tunnel:/usr/sbin/nologin\n';
const create = 'command Create the service account tunnel';
const allow = 'command Allow the MaaS tunnel key for tunnel (port forwarding to 127.0.0.1:44443 only)';
const reload = 'command Reload sshd (sessions stay open)';
export const relayDropIn = `# Written by Waymark (hypervisors, step tunnel-relay). Edit the answers and run the wizard again rather than this file.\n${block}`;

export const tunnelRelayCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'tunnel-relay',
	answers,
	secrets,
	target: hv2,
	cases: [
		{
			name: 'fresh hypervisor: the account, its restricted key, the Match User drop-in (sshd -t in place), then a reload',
			facts: {passwd: noAccount, keys: '', main, dropin: null},
			expected: [create, allow, `file ${dropIn}`, reload],
			after: {passwd: tunnelAccount, keys: `${line}\n`},
			also: plan => {
				const file = fileAt(plan, dropIn);
				assert.ok(file.after.endsWith(block));
				assert.equal(file.after, relayDropIn);
				assert.equal(file.validateInPlace, '"$(command -v sshd || echo /usr/sbin/sshd)" -t');
			},
		},
		{
			name: 'account, key and drop-in in place: nothing to do',
			facts: {passwd: tunnelAccount, keys: `${line}\n`, main, dropin: relayDropIn},
			expected: 'noop',
			notes: [/tunnel may hold 127\.0\.0\.1:44443 open and do nothing else/],
		},
		{
			name: 'without an Include line (Ubuntu 18.04) the block goes to the end of sshd_config, after everything global',
			facts: {passwd: noAccount, keys: '', main: fixture('sshd/ubuntu-18.04-sshd_config'), dropin: null},
			expected: [create, allow, 'file /etc/ssh/sshd_config', reload],
			after: {passwd: tunnelAccount, keys: `${line}\n`},
			also: plan => assert.ok(fileAt(plan, '/etc/ssh/sshd_config').after.endsWith(`\n\n${block}`)),
		},
		{
			name: 'no sshd_config: refused with what to install',
			facts: {passwd: noAccount, keys: '', main: null, dropin: null},
			expected: {throws: /\/etc\/ssh\/sshd_config does not exist/},
		},
		{
			name: 'an offline image gets the drop-in; the account and key wait for the live host',
			target: offline,
			facts: {passwd: {unavailable: true}, keys: {unavailable: true}, main, dropin: null},
			expected: [`file ${dropIn}`, reload],
		},
	],
};
