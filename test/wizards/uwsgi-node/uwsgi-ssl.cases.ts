// uwsgi-ssl as data: the self-signed certificate made on the operator's machine, its key written 0600 and never
// shown; an existing pair is kept. (A key whose mode is loose cannot be said as a raw fact here: uwsgi-ssl.test.ts.)
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import type {CaseTable} from '../cases.js';
import {nodeAnswers} from './answers.js';

export const sslPem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nxyz\n-----END CERTIFICATE-----\n';

export const uwsgiSslCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'uwsgi-ssl',
	answers: nodeAnswers,
	secrets: {'uwsgi-ssl': sslPem},
	cases: [
		{
			name: 'no key or certificate: both written, the key as a 0600 secret',
			facts: {key: null, certificate: null},
			expected: ['file /etc/uwsgi/ssl/uwsgi.it.key', 'file /etc/uwsgi/ssl/uwsgi.it.crt'],
			notes: [/Self-signed certificate, SHA256/],
			also: plan => {
				const [key, certificate] = plan.actions;
				assert.ok(key?.kind === 'file' && certificate?.kind === 'file');
				assert.equal(key.secret, true);
				assert.equal(key.mode, 0o600);
				assert.equal(key.after, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
				assert.equal(certificate.mode, 0o644);
				assert.notEqual(certificate.secret, true);
			},
		},
		{
			name: 'an existing pair is kept, whatever it holds',
			facts: {key: 'KEY', certificate: 'CERT'},
			expected: 'noop',
			notes: [/uwsgi\.it\.crt exists \(SHA256 unreadable\); it is kept/],
			// An unreadable certificate is as good as none.
			checks: {'tls-expiry': 'fail'},
		},
	],
};
