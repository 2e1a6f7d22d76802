// server-config as data: TLS pins the client's certificate, a cipher is always explicit, the static key needs its
// override only where OpenVPN 2.7 refuses it, and OpenVPN before 2.6 cannot run the default mode at all.
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, fileAt, openvpn26, secrets, staticKey} from './fixtures.js';

const config = '/etc/openvpn/server/mistio.conf';
const restart = 'command Restart the server tunnel if it is running, so it reads the new files';

export const serverConfigCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-config',
	answers,
	secrets,
	cases: [
		{
			name: "tls-fingerprint: tcp-server, the guide's ifconfig pair, the client's fingerprint pinned, the up script named",
			facts: {[config]: null, 'openvpn-version': openvpn26},
			expected: [`file ${config}`, restart],
			also: plan => {
				const text = fileAt(plan, config).after;
				assert.match(text, /^proto tcp-server$/m);
				assert.match(text, /^ifconfig 10\.0\.0\.10 10\.0\.0\.5$/m);
				assert.match(text, /^tls-server\ndh none$/m);
				assert.match(text, /^peer-fingerprint ([\dA-F]{2}:){31}[\dA-F]{2}$/m);
				assert.match(text, /^up mistio\/up\.sh$/m);
				assert.match(text, /^cipher AES-256-(GCM|CBC)$/m);
			},
		},
		{
			name: 'static-key over udp, OpenVPN not installed yet: the secret file, an explicit cipher, no 2.7 override',
			answers: staticKey,
			facts: {[config]: null, 'openvpn-version': ''},
			expected: [`file ${config}`, restart],
			notes: [/deprecated/],
			also: plan => {
				const text = fileAt(plan, config).after;
				assert.match(text, /^secret mistio\/static\.key$/m);
				assert.match(text, /^proto udp$/m);
				assert.match(text, /^cipher AES-256-(GCM|CBC)$/m);
				assert.doesNotMatch(text, /allow-deprecated-insecure-static-crypto/);
			},
		},
		{
			name: 'static-key on OpenVPN 2.7, which refuses it without the override: the override is written',
			answers: staticKey,
			facts: {[config]: null, 'openvpn-version': 'OpenVPN 2.7.0 x86_64-pc-linux-gnu [SSL (OpenSSL)]\n'},
			expected: [`file ${config}`, restart],
			also: plan => assert.match(fileAt(plan, config).after, /^allow-deprecated-insecure-static-crypto$/m),
		},
		{
			name: 'OpenVPN 2.5 has no peer-fingerprint: the default mode stops instead of writing a config that never starts',
			facts: {[config]: null, 'openvpn-version': 'OpenVPN 2.5.11 x86_64-pc-linux-gnu [SSL (OpenSSL)]\n'},
			expected: {throws: /OpenVPN 2\.5 .* has no peer-fingerprint/},
		},
	],
};
