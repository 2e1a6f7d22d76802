// server-keys as data: the private key and the tls-crypt key are secrets written 0600; the certificate is not secret.
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, secrets} from './fixtures.js';

const dir = '/etc/openvpn/server/mistio';

export const serverKeysCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-keys',
	answers,
	secrets,
	cases: [
		{
			name: 'none there: key, certificate and tls-crypt key written, the secrets 0600, and a running tunnel restarted',
			facts: {[`${dir}/server.key`]: null, [`${dir}/server.crt`]: null, [`${dir}/tls-crypt.key`]: null},
			expected: [
				`file ${dir}/server.key`,
				`file ${dir}/server.crt`,
				`file ${dir}/tls-crypt.key`,
				'command Restart the server tunnel if it is running, so it reads the new files',
			],
			notes: [/^This side's certificate: SHA256 /],
			also: plan =>
				assert.deepEqual(
					plan.actions.flatMap(action => (action.kind === 'file' && action.secret ? [[action.path, action.mode]] : [])),
					[
						[`${dir}/server.key`, 0o600],
						[`${dir}/tls-crypt.key`, 0o600],
					],
				),
		},
	],
};
