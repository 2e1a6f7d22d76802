// maas-nginx as data: the guide's site on httpsPort with PHP on 127.0.0.1:9000, the key 0600 and secret, the default
// site off; a stopped nginx is started after nginx -t even when the files are right.
import assert from 'node:assert/strict';
import {splitKeyAndCertificate} from '../../../source/keys/pem.js';
import {nginxTestAndReload} from '../../../wizards/common/nginx-service.js';
import {maasTlsSecret} from '../../../wizards/hypervisors/maas-nginx.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, boundHypervisors, caseContext, fileAt, offline, scriptOf, secrets} from './fixtures.js';
import {maasSiteText} from '../../../wizards/hypervisors/maas-nginx.js';

const site = '/etc/nginx/sites-available/cdpweather';
const pem = splitKeyAndCertificate(secrets[maasTlsSecret]);
const enable = "Enable the site (the guide's ln -s into sites-enabled)";
const dropDefault = 'Disable the default site (the guide deletes it)';
const reload = 'Check the config (nginx -t), then reload or start nginx';
const start = 'Start nginx (it is not running; nginx -t first)';
const fresh = {nginx: '/usr/sbin/nginx\n', site: null, key: null, certificate: null, enabled: absent, default: 'present\n', running: 'active\n'};
const converged = {
	...fresh,
	site: maasSiteText(caseContext(), 'hypervisors'),
	key: pem.key,
	certificate: pem.certificate,
	enabled: `${site}\n`,
	default: 'absent\n',
};

export const maasNginxCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'maas-nginx',
	answers,
	secrets,
	cases: [
		{
			name: 'fresh nginx: site, key and certificate written, site enabled, default site off, nginx -t then reload; converges',
			facts: fresh,
			expected: [
				`file ${site}`,
				'file /etc/nginx/ssl/nginx.key',
				'file /etc/nginx/ssl/nginx.crt',
				`command ${enable}`,
				`command ${dropDefault}`,
				`command ${reload}`,
			],
			notes: [/Self-signed certificate for maas\.local/],
			after: {enabled: `${site}\n`, default: 'absent\n'},
			also: plan => {
				const text = fileAt(plan, site).after;
				assert.match(text, /^\tlisten 4443 ssl default_server;$/m);
				assert.match(text, /^\t\tfastcgi_pass 127\.0\.0\.1:9000;$/m);
				assert.match(text, /^\tssl_certificate_key \/etc\/nginx\/ssl\/nginx\.key;$/m);
				const key = fileAt(plan, '/etc/nginx/ssl/nginx.key');
				assert.ok(key.secret === true && key.mode === 0o600 && key.after.startsWith('-----BEGIN PRIVATE KEY-----'));
				assert.equal(fileAt(plan, '/etc/nginx/ssl/nginx.crt').after, pem.certificate);
			},
		},
		{
			name: 'as wanted and running: the certificate is far from expiry and nginx runs',
			facts: converged,
			expected: 'noop',
			notes: [/\/etc\/nginx\/ssl\/nginx\.crt exists; it is kept/],
			checks: {'maas-tls-expiry': 'pass', 'maas-nginx-running': 'pass'},
		},
		{
			name: 'the files being right is not enough: a stopped nginx is started after nginx -t, and check says it is down',
			facts: {...converged, running: 'failed\n'},
			expected: [`command ${start}`],
			checks: {'maas-nginx-running': 'fail'},
			after: {running: 'active\n'},
			also: plan => assert.equal(scriptOf(plan, start), nginxTestAndReload),
		},
		{
			name: 'a certificate already there is kept, key and all',
			facts: {...fresh, key: 'their key\n', certificate: pem.certificate},
			expected: [`file ${site}`, `command ${enable}`, `command ${dropDefault}`, `command ${reload}`],
			after: {enabled: `${site}\n`, default: 'absent\n'},
		},
		{
			name: 'not installed yet (a dry run before the packages step): the files wait, nothing is started or claimed',
			facts: {...fresh, nginx: absent, running: 'unknown\n'},
			expected: [`file ${site}`, 'file /etc/nginx/ssl/nginx.key', 'file /etc/nginx/ssl/nginx.crt', `command ${enable}`, `command ${dropDefault}`],
			notes: [/nginx is not installed here: the site waits for it/],
		},
		{
			name: 'an offline image gets the files; the link waits for a live host',
			target: offline,
			facts: {
				nginx: {unavailable: true},
				site: null,
				key: null,
				certificate: null,
				enabled: {unavailable: true},
				default: {unavailable: true},
				running: {unavailable: true},
			},
			expected: [`file ${site}`, 'file /etc/nginx/ssl/nginx.key', 'file /etc/nginx/ssl/nginx.crt'],
		},
	],
};
