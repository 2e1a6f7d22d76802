// wanted-files as data: each file exactly so, secrets 0600 and never shown, content that depends on a host fact.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {sharedSteps, tunnelKey} from './shared-steps.js';

const config = 'file /etc/openvpn/server/office.conf';
const key = 'file /etc/openvpn/server/office.key';
const restart = 'command Restart the server tunnel if it is running, so it reads the new files';
const openvpn26 = 'OpenVPN 2.6.3 x86_64-pc-linux-gnu\n';
const openvpn27 = 'OpenVPN 2.7.0 x86_64-pc-linux-gnu\n';

export const wantedFilesCases: CaseTable = {
	wizard: sharedSteps,
	step: 'tunnel-files',
	answers: {},
	cases: [
		{
			name: 'none there: both written, the key as a 0600 secret, then the tunnel restarted if it runs',
			facts: {'/etc/openvpn/server/office.conf': null, '/etc/openvpn/server/office.key': null, 'openvpn-version': openvpn26},
			expected: [config, key, restart],
			also: plan => {
				const [file, secret] = plan.actions;
				assert.ok(file?.kind === 'file' && secret?.kind === 'file');
				assert.equal(file.after, 'dev tun0\nsecret office.key\n');
				assert.equal(file.mode, 0o644);
				assert.equal(secret.secret, true);
				assert.equal(secret.mode, 0o600);
			},
		},
		{
			name: 'OpenVPN 2.7 reads a config with the static-key override: the host fact reaches the content',
			facts: {'/etc/openvpn/server/office.conf': 'dev tun0\nsecret office.key\n', '/etc/openvpn/server/office.key': tunnelKey, 'openvpn-version': openvpn27},
			expected: [config, restart],
			also: plan => assert.ok(plan.actions[0]?.kind === 'file' && plan.actions[0].after.endsWith('allow-deprecated-insecure-static-crypto\n')),
		},
		{
			name: 'both as wanted: nothing',
			facts: {'/etc/openvpn/server/office.conf': 'dev tun0\nsecret office.key\n', '/etc/openvpn/server/office.key': tunnelKey, 'openvpn-version': openvpn26},
			expected: 'noop',
			notes: [/All 2 file\(s\) are as wanted/],
		},
	],
};
