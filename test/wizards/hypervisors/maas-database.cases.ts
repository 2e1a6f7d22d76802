// db-access and db-client as data: the guide's MaaS of two servers gets a database, a user who may come from the web
// server only, MariaDB on the database server's address (taken back if it will not start), and a client file the web
// server logs in through. Never a password on a command line; the same vault password writes the same files again.
import assert from 'node:assert/strict';
import {hypervisors} from '../../../wizards/hypervisors/index.js';
import {dbAnswerErrors, dbPasswordSecret, dbPaths, grantsText, listenText, listeningSockets} from '../../../wizards/hypervisors/maas-database.js';
import type {CaseTable} from '../cases.js';
import {answers, boundHypervisors, fileAt, offline, scriptOf, secrets} from './fixtures.js';

const password = 'Zq3KcV8mW2pLx7RtY4nB9sHd6GfJ1aEu';
const withPassword = {...secrets, [dbPasswordSecret]: password};
const apart = {dbAddress: '192.0.2.4', webAddress: '192.0.2.3'};
const fresh = {
	mariadb: '/usr/bin/mariadb\n',
	version: 'mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)\n',
	state: '0\t0\t0\n',
	addresses: '192.0.2.4 10.0.3.1 \n',
	sockets: '0100007F:0CEA\n',
};
const restart = 'command Restart MariaDB on the new address (taken back if it will not start)';
const twoServers = {name: 'drupal', user: 'drupal', host: '192.0.2.4', from: '192.0.2.3', apart: true};
const make = (from: string) => `command Make the database drupal and the user drupal@${from}`;

export const dbAccessCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'db-access',
	answers: {...answers, ...apart},
	secrets: withPassword,
	cases: [
		{
			name: "two servers: the listen drop-in after Debian's 50-server.cnf, a restart that takes it back on failure, then the grants",
			facts: fresh,
			expected: [`file ${dbPaths.listen}`, restart, `file ${dbPaths.grants}`, make('192.0.2.3')],
			after: {state: '1\t1\t8\n', sockets: '0100007F:0CEA\n040200C0:0CEA\n'},
			also: (plan, checks) => {
				// Debian 12's 10.11 (and 13's 11.8) take a list: loopback stays.
				assert.match(fileAt(plan, dbPaths.listen).after, /^\[mysqld\]\nbind-address = 127\.0\.0\.1,192\.0\.2\.4\n$/m);
				const grants = fileAt(plan, dbPaths.grants);
				assert.deepEqual([grants.mode, grants.secret], [0o600, true]);
				assert.match(grants.after, /^CREATE USER IF NOT EXISTS 'drupal'@'192\.0\.2\.3' IDENTIFIED BY 'Zq3K/m);
				assert.match(grants.after, /^GRANT ALL PRIVILEGES ON `drupal`\.\* TO 'drupal'@'192\.0\.2\.3';$/m);
				// The password goes through the root-only file, never a command line.
				assert.equal(scriptOf(plan, make('192.0.2.3').slice('command '.length)), `mariadb < ${dbPaths.grants}`);
				for (const action of plan.actions) assert.ok(action.kind !== 'command' || !action.script.includes(password));
				const taken = scriptOf(plan, restart.slice('command '.length));
				assert.match(taken, /\|\| \{\n {2}rm -f \/etc\/mysql\/mariadb\.conf\.d\/60-waymark-hypervisors\.cnf\n/);
				assert.deepEqual(
					checks.map(check => [check.id, check.status]),
					[
						['db-user', 'fail'],
						['db-listens', 'fail'],
					],
				);
			},
		},
		{
			name: 'files in place but the user was dropped by hand: the grants run again',
			facts: {...fresh, state: '0\t1\t0\n'},
			answers: {},
			expected: [`file ${dbPaths.listen}`, restart, `file ${dbPaths.grants}`, make('192.0.2.3')],
		},
		{
			name: 'a run cut off after the drop-in, before the restart: MariaDB still on loopback only, so it restarts though the files are done',
			facts: {
				...fresh,
				listen: listenText('192.0.2.4', 'hypervisors', 'db-access'),
				grants: grantsText(twoServers, password, 'hypervisors', 'db-access'),
				state: '1\t1\t8\n',
			},
			expected: [restart],
			after: {sockets: '0100007F:0CEA\n040200C0:0CEA\n'},
		},
		{
			// Debian 11's 10.5 reads a list as one bad address and will not start.
			name: 'MariaDB before 10.11 takes one bind-address: the drop-in names dbAddress alone',
			facts: {...fresh, version: 'mysqld  Ver 10.5.23-MariaDB-0+deb11u1 for debian-linux-gnu on x86_64 (Debian 11)\n'},
			expected: [`file ${dbPaths.listen}`, restart, `file ${dbPaths.grants}`, make('192.0.2.3')],
			after: {state: '1\t1\t8\n', sockets: '040200C0:0CEA\n'},
			also: plan => {
				assert.match(fileAt(plan, dbPaths.listen).after, /^bind-address = 192\.0\.2\.4$/m);
			},
		},
		{
			name: 'MariaDB bound to every address (0.0.0.0) counts as listening on dbAddress',
			facts: {
				...fresh,
				listen: listenText('192.0.2.4', 'hypervisors', 'db-access'),
				grants: grantsText(twoServers, password, 'hypervisors', 'db-access'),
				state: '1\t1\t8\n',
				sockets: '00000000:0CEA\n',
			},
			expected: 'noop',
		},
		{
			name: 'dbAddress is not on the database server: stops before any change, naming its addresses',
			facts: {...fresh, addresses: '10.0.3.1 \n'},
			expected: {throws: /dbAddress 192\.0\.2\.4 is not an address of ssh:node1 \(it has 10\.0\.3\.1\), so MariaDB could not listen on it\./},
		},
		{
			name: 'both addresses given for one host (webAddress is its own): stops before any change, saying to leave both empty',
			facts: {...fresh, addresses: '192.0.2.4 192.0.2.3 \n'},
			expected: {throws: /webAddress 192\.0\.2\.3 is an address of ssh:node1 itself: the web server and the database are one host here/},
		},
		{
			name: 'web and database on one host: no drop-in (MariaDB stays on 127.0.0.1), the user from localhost',
			answers: {dbAddress: '', webAddress: ''},
			facts: fresh,
			expected: [`file ${dbPaths.grants}`, make('localhost')],
		},
		{
			name: 'an offline image: made when the wizard runs against the live host',
			target: offline,
			facts: {
				mariadb: {unavailable: true},
				state: {unavailable: true},
				addresses: {unavailable: true},
				sockets: {unavailable: true},
				listen: null,
				grants: null,
			},
			expected: {unmet: 'deferred', reason: /the database drupal and its user drupal@192\.0\.2\.3 are made/},
		},
	],
};

export const dbClientCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'db-client',
	answers: {...answers, ...apart},
	secrets: withPassword,
	cases: [
		{
			name: 'the client file (root only, a secret) names the database server, and the login through it is the check',
			facts: {login: {text: "ERROR 2002 (HY000): Can't connect to server on '192.0.2.4' (115)\n", exitCode: 1}},
			expected: [`file ${dbPaths.client}`],
			after: {login: 'drupal\n'},
			also: (plan, checks) => {
				const client = fileAt(plan, dbPaths.client);
				assert.deepEqual([client.mode, client.secret], [0o600, true]);
				assert.match(client.after, /\[client\]\nhost = 192\.0\.2\.4\nuser = drupal\npassword = Zq3K\w+\n\n\[mysql\]\ndatabase = drupal\n$/);
				assert.deepEqual(
					checks.map(check => [check.id, check.status, check.evidence]),
					[['db-login', 'fail', "ERROR 2002 (HY000): Can't connect to server on '192.0.2.4' (115)"]],
				);
			},
		},
	],
};

export function databaseAnswerChecks(): void {
	assert.deepEqual(dbAnswerErrors(Object.fromEntries(hypervisors.params.map(param => [param.name, param.default ?? '']))), []);
	assert.deepEqual(
		dbAnswerErrors({dbName: 'drupal; DROP', dbUser: 'drupal', dbAddress: '192.0.2.4', webAddress: ''}).map(error => error.field),
		['dbName', 'webAddress'],
	);
	assert.deepEqual(listeningSockets(['0100007F:0CEA', '040200C0:0CEA', '00000000:0016', 'junk']), ['127.0.0.1:3306', '192.0.2.4:3306', '0.0.0.0:22']);
}

export function grantPatternChecks(): void {
	const underscored = grantsText({name: 'my_db', user: 'drupal', host: 'localhost', from: 'localhost', apart: false}, 'pw', 'hypervisors', 'db-access');
	assert.match(underscored, /^GRANT ALL PRIVILEGES ON `my\\_db`\.\* TO 'drupal'@'localhost';$/m, 'an escaped _ grants my_db alone');
	assert.match(underscored, /^CREATE DATABASE IF NOT EXISTS `my_db` /m);
}
