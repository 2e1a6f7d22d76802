// php-fpm-settings as data: cgi.fix_pathinfo=0 and post_max_size = 200M in Debian 12's php.ini, the pool on
// 127.0.0.1:9000, checked with php-fpm -t; a stopped pool is started even when the files are right.
import assert from 'node:assert/strict';
import {getIniValue, setIniValues} from '../../../source/edits/ini.js';
import type {CaseTable} from '../cases.js';
import {fixture} from '../../edits/fixture.js';
import {absent, answers, boundHypervisors, fileAt, secrets} from './fixtures.js';

const iniPath = '/etc/php/8.2/fpm/php.ini';
const poolPath = '/etc/php/8.2/fpm/pool.d/www.conf';
const ini = fixture('php/debian-12-php.ini-production');
const pool = fixture('php/debian-12-www.conf');
// What the edits leave (the step reads both files through one command each: the path, then the text).
const applied = {
	'php-ini': `${iniPath}\n${setIniValues(ini, 'PHP', {'cgi.fix_pathinfo': '0', post_max_size: '200M'}).text}`,
	pool: `${poolPath}\n${setIniValues(pool, 'www', {listen: '127.0.0.1:9000'}).text}`,
};
const debian = {
	'php-ini': `${iniPath}\n${ini}`,
	pool: `${poolPath}\n${pool}`,
	binary: '/usr/sbin/php-fpm8.2\n',
	systemd: 'yes',
	running: 'php8.2-fpm active\n',
};

export const phpFpmSettingsCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'php-fpm-settings',
	answers,
	secrets,
	cases: [
		{
			name: "Debian 12's php.ini and www.conf edited, each checked with php-fpm -t, then php8.2-fpm restarts; converges",
			facts: debian,
			expected: [`file ${iniPath}`, `file ${poolPath}`, 'command Restart php8.2-fpm'],
			after: applied,
			also: plan => {
				const edited = fileAt(plan, iniPath);
				assert.equal(edited.validateInPlace, '/usr/sbin/php-fpm8.2 -t');
				assert.equal(getIniValue(edited.after, 'PHP', 'cgi.fix_pathinfo'), '0');
				assert.equal(getIniValue(edited.after, 'PHP', 'post_max_size'), '200M');
				const www = fileAt(plan, poolPath).after;
				assert.equal(getIniValue(www, 'www', 'listen'), '127.0.0.1:9000');
				assert.doesNotMatch(www, /^listen = \/run\/php/m);
				assert.deepEqual(plan.actions[2], {kind: 'command', title: 'Restart php8.2-fpm', script: 'systemctl restart php8.2-fpm'});
			},
		},
		{
			name: 'as the guide wants and running',
			facts: {...debian, ...applied},
			expected: 'noop',
			checks: {'php-fpm-running': 'pass'},
		},
		{
			name: 'settings right but the pool stopped: started, and check says nothing answers nginx',
			facts: {...debian, ...applied, running: 'php8.2-fpm inactive\n'},
			expected: ['command Start php8.2-fpm (it is not running)'],
			checks: {'php-fpm-running': 'fail'},
			after: {running: 'php8.2-fpm active\n'},
			also: plan =>
				assert.deepEqual(plan.actions[0], {
					kind: 'command',
					title: 'Start php8.2-fpm (it is not running)',
					script: 'systemctl enable php8.2-fpm\nsystemctl restart php8.2-fpm',
				}),
		},
		{
			name: 'without systemd as pid 1: the files are edited, the restart is left to the host with a note',
			facts: {...debian, systemd: 'no', running: 'no-systemd\n'},
			expected: [`file ${iniPath}`, `file ${poolPath}`],
			notes: [/Restart php8\.2-fpm with the host's init system/],
			after: applied,
		},
		{
			name: 'no php-fpm installed: nothing to edit, said so',
			facts: {'php-ini': absent, pool: absent},
			expected: 'noop',
			notes: [/php-fpm is not installed/],
		},
	],
};
