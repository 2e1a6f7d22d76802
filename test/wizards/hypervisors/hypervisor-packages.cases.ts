// hypervisor-packages as data: the guide's list, a warning when iptables-persistent would remove ufw, and an
// isc-dhcp-server that cannot start unconfigured is a warning in check, never started or failed.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {answers, boundHypervisors, scriptOf, secrets} from './fixtures.js';

const apt = '/usr/bin/apt-get\n';
const guideList = ['lxc', 'git', 'bridge-utils', 'iptables-persistent', 'isc-dhcp-server', 'autossh'];
const listing = (...names: string[]) => names.map(name => `ii \t${name}\t\n`).join('');
const install = 'apt-get install lxc bridge-utils iptables-persistent isc-dhcp-server autossh';

export const hypervisorPackagesCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'hypervisor-packages',
	answers,
	secrets,
	cases: [
		{
			name: 'what is missing of the list is installed; ufw there: the plan warns that apt removes it',
			facts: {apt, installed: listing('git', 'ufw'), 'isc-dhcp-server-state': 'inactive\n'},
			expected: [`command ${install}`],
			notes: [/REMOVES ufw/],
			after: {installed: listing(...guideList), 'isc-dhcp-server-state': 'failed\n'},
			also: plan =>
				assert.match(
					scriptOf(plan, install),
					/apt-get -o DPkg::Lock::Timeout=300 install -y -q .* lxc bridge-utils iptables-persistent isc-dhcp-server autossh$/m,
				),
		},
		{
			name: 'without ufw nothing is said about it',
			facts: {apt, installed: listing('git'), 'isc-dhcp-server-state': 'inactive\n'},
			expected: [`command ${install}`],
			after: {installed: listing(...guideList)},
			also: plan => assert.ok(!plan.notes.some(note => /ufw/.test(note))),
		},
		{
			name: 'isc-dhcp-server down once installed (no subnet configured): a warning, not started',
			facts: {apt, installed: listing(...guideList), 'isc-dhcp-server-state': 'failed\n'},
			expected: 'noop',
			checks: {'isc-dhcp-server-running': 'warn'},
		},
		{
			name: 'isc-dhcp-server running passes',
			facts: {apt, installed: listing(...guideList), 'isc-dhcp-server-state': 'active\n'},
			expected: 'noop',
			checks: {'isc-dhcp-server-running': 'pass'},
		},
		{
			name: 'left out of hypervisorPackages, isc-dhcp-server is not judged',
			answers: {hypervisorPackages: ['lxc', 'git']},
			facts: {apt, installed: listing('lxc', 'git'), 'isc-dhcp-server-state': 'inactive\n'},
			expected: 'noop',
			checks: {},
		},
	],
};

export const maasPackagesCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'maas-packages',
	answers,
	secrets,
	cases: [
		{
			name: "nginx, today's php-fpm with its MySQL driver, the MariaDB client, iptables and autossh on the web server",
			facts: {apt, installed: listing('iptables')},
			expected: ['command apt-get install nginx php-fpm php-mysql mariadb-client autossh'],
			after: {installed: listing('nginx', 'php-fpm', 'php-mysql', 'mariadb-client', 'iptables', 'autossh')},
		},
		{name: 'all there', facts: {apt, installed: listing('nginx', 'php-fpm', 'php-mysql', 'mariadb-client', 'iptables', 'autossh')}, expected: 'noop'},
	],
};

const mariadb = listing('mariadb-server', 'mariadb-client');
const startMariadb = 'Start mariadb (it is installed but not running)';

export const dbPackagesCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'db-packages',
	answers,
	secrets,
	cases: [
		{
			name: 'a fresh host gets mariadb-server and mariadb-client; apt starts it',
			facts: {apt, installed: '', 'mariadb-state': 'inactive\n'},
			expected: ['command apt-get install mariadb-server mariadb-client'],
			after: {installed: mariadb, 'mariadb-state': 'active\n'},
		},
		{
			name: 'installed and running',
			facts: {apt, installed: mariadb, 'mariadb-state': 'active\n'},
			expected: 'noop',
			checks: {'mariadb-running': 'pass'},
		},
		{
			name: 'installed is not running: a stopped mariadb is started, and check fails while it is down',
			facts: {apt, installed: mariadb, 'mariadb-state': 'failed\n'},
			expected: [`command ${startMariadb}`],
			checks: {'mariadb-running': 'fail'},
			after: {'mariadb-state': 'active\n'},
			also: plan => assert.equal(scriptOf(plan, startMariadb), 'systemctl enable mariadb\nsystemctl restart mariadb'),
		},
		{
			name: 'no systemd to ask: nothing started, nothing claimed',
			facts: {apt, installed: mariadb, 'mariadb-state': 'no-systemd\n'},
			expected: 'noop',
		},
	],
};
