// client-config as data: the server's public address as remote, the ifconfig pair reversed, no up script.
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, fileAt, openvpn26, secrets} from './fixtures.js';

const config = '/etc/openvpn/client/mistio.conf';

export const clientConfigCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'client-config',
	answers,
	secrets,
	cases: [
		{
			name: 'tls-fingerprint: remote, tcp-client, the ifconfig pair reversed, an explicit cipher, no up script',
			facts: {[config]: null, 'openvpn-version': openvpn26},
			expected: [`file ${config}`, 'command Restart the client tunnel if it is running, so it reads the new files'],
			also: plan => {
				const text = fileAt(plan, config).after;
				assert.match(text, /^remote 198\.51\.100\.7\n/m);
				assert.match(text, /^proto tcp-client$/m);
				assert.match(text, /^ifconfig 10\.0\.0\.5 10\.0\.0\.10$/m);
				assert.match(text, /^cipher AES-256-(GCM|CBC)$/m);
				assert.doesNotMatch(text, /^up /m);
			},
		},
	],
};
