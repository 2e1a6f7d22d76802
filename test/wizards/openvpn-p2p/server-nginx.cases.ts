// server-nginx as data: the site, a hashed password file nginx can read, the site enabled and the default site out
// of port 80's way, nginx tested before it reloads; the password itself appears nowhere in the plan.
import assert from 'node:assert/strict';
import {nginxPaths} from '../../../wizards/openvpn-p2p/nginx-basic-auth.js';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, fileAt, secrets} from './fixtures.js';

const reload = 'command Check the config (nginx -t), then reload or start nginx';
const fresh = {
	nginx: '/usr/sbin/nginx\n',
	site: null,
	htpasswd: null,
	group: absent,
	enabled: absent,
	default: 'present\n',
	running: 'stopped\n',
};
const settled = {group: 'www-data\n', enabled: `${nginxPaths.site}\n`, default: 'absent\n', running: 'running\n'};

export const serverNginxCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-nginx',
	answers: {...answers, nginx: true, authPassword: 'pw one'},
	secrets,
	cases: [
		{
			name: 'nginx not chosen: HAProxy keeps serving mist.io',
			answers: {nginx: false},
			facts: {},
			expected: 'noop',
			notes: [/nginx was not chosen/],
		},
		{
			name: 'installed, nothing set up: site, password file (a secret, 0640), its group, the link, no default site, a start',
			facts: fresh,
			expected: [
				`file ${nginxPaths.site}`,
				`file ${nginxPaths.htpasswd}`,
				`command Let nginx (group www-data) read ${nginxPaths.htpasswd}`,
				"command Enable the site (the guide's ln -s into sites-enabled)",
				'command Unlink the default site, which also listens on port 80',
				reload,
			],
			also: plan => {
				const htpasswd = fileAt(plan, nginxPaths.htpasswd);
				assert.ok(htpasswd.secret === true && htpasswd.mode === 0o640);
				assert.match(htpasswd.after, /^admin:\$6\$[^$]{16}\$[./\dA-Za-z]{86}\n$/);
				assert.ok(!JSON.stringify(plan).includes('pw one'));
			},
			after: settled,
		},
		{
			name: 'not installed: apt-get install nginx first',
			facts: {...fresh, nginx: absent},
			expected: [
				'command apt-get install nginx',
				`file ${nginxPaths.site}`,
				`file ${nginxPaths.htpasswd}`,
				`command Let nginx (group www-data) read ${nginxPaths.htpasswd}`,
				"command Enable the site (the guide's ln -s into sites-enabled)",
				'command Unlink the default site, which also listens on port 80',
				reload,
			],
			after: {...settled, nginx: '/usr/sbin/nginx\n'},
		},
		{
			name: 'offline image: the files only; installing, grouping and reloading wait for the live host',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {...fresh, nginx: {unavailable: true}, group: {unavailable: true}, enabled: {unavailable: true}, default: {unavailable: true}},
			expected: [`file ${nginxPaths.site}`, `file ${nginxPaths.htpasswd}`, "command Enable the site (the guide's ln -s into sites-enabled)"],
		},
	],
};
