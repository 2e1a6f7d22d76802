// hypervisors as the foundation guide lays it out: the MaaS (web and database server on one Debian 12 host) and two
// LXC hypervisors, one reached on a non-standard ssh port; operator spike, nothing moved or saved (the defaults).
import {MemoryVault} from '../../../source/engine/memory-vault.js';
import type {StepContext} from '../../../source/engine/types.js';
import {generateSshKey} from '../../../source/keys/ssh-key.js';
import {hypervisors, operatorKeySecret} from '../../../wizards/hypervisors/index.js';
import {isSource} from '../../../wizards/hypervisors/lxc-move.js';
import {dbPasswordSecret} from '../../../wizards/hypervisors/maas-database.js';
import {maasJump, maasRules} from '../../../wizards/hypervisors/maas-firewall.js';
import {maasNginxPaths, maasTlsSecret} from '../../../wizards/hypervisors/maas-nginx.js';
import {operatorKeyComment} from '../../../wizards/hypervisors/operator-access.js';
import {tunnelKeySecret} from '../../../wizards/hypervisors/tunnel-client.js';
import {tunnelPeers, tunnelUnit} from '../../../wizards/hypervisors/tunnel-peers.js';
import {relayKeyLine} from '../../../wizards/hypervisors/tunnel-relay.js';
import {publicKeyOf} from '../../../wizards/hypervisors/vault-ssh-keys.js';
import {fixture} from '../../edits/fixture.js';
import {
	iptablesSave,
	ipv6After,
	minbasePackages,
	noUnit,
	sshdEffective,
	withPackages,
	written,
	type ConvergedCase,
	type Values,
	type WizardCases,
} from './host.js';

const operatorKey = await generateSshKey({comment: 'waymark-operator'});
const tunnelKey = await generateSshKey({comment: 'waymark-tunnel'});
const tls = await hypervisors.secrets!.find(spec => spec.name === maasTlsSecret)!.generate({maasHostname: 'maas.local'}, new MemoryVault());
const answers = {operatorUser: 'spike', maasAddress: '192.0.2.3', vault: '/tmp/waymark-test-vault'};

// The installer made spike; Debian 12 with a root password has no sudo until the step installs it.
const operator: ConvergedCase = {
	before: {passwd: 'spike:x:1000:1000:Spike,,,:/home/spike:/bin/bash\n', keys: ''},
	after: ctx => ({keys: `${publicKeyOf(String(ctx.secrets.get(operatorKeySecret)), operatorKeyComment)}\n`}),
};
const sudo: ConvergedCase = {
	before: {sudo: {text: '', exitCode: 1}, groups: 'spike\n', probe: {text: 'sh: 1: sudo: not found\n', exitCode: 127}},
	// Without NOPASSWD sudo asks for spike's password: a warning that says to use --become, not a failure.
	after: {sudo: '/usr/bin/sudo\n', groups: 'spike sudo\n', probe: {text: 'sudo: a password is required\n', exitCode: 1}},
};

const mariadb1011 = 'mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)\n';
const tunnelAccount = 'tunnel:x:999:996::/home/tunnel:/usr/sbin/nologin\n';
const noAccount = {text: '', exitCode: 2} as const;
const chain = maasRules({maas: answers.maasAddress, port: '4443', sshPort: '22', admins: []});
const jump = maasJump;
const lo = '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n';
const phpIni = '/etc/php/8.2/fpm/php.ini';
const pool = '/etc/php/8.2/fpm/pool.d/www.conf';
const hypervisorPackages = ['lxc', 'git', 'bridge-utils', 'iptables', 'iptables-persistent', 'netfilter-persistent', 'isc-dhcp-server', 'autossh'];
const lxcConfig = 'lxc.include = /usr/share/lxc/config/common.conf\nlxc.uts.name = web1\n';
const imageId = 'sha256:5b0d59026729b68570d99bc4f3f7c31a2e4f2a5736435641565d93e7c25bd2c3';

function tunnelStates(ctx: StepContext, state: string): string {
	return tunnelPeers(ctx)
		.map(peer => `${tunnelUnit(peer.name)} ${state}\n`)
		.join('');
}

export const hypervisorsCases: WizardCases = {
	answers,
	secrets: new Map([
		[operatorKeySecret, operatorKey.privateKey],
		[tunnelKeySecret, tunnelKey.privateKey],
		[maasTlsSecret, tls],
		[dbPasswordSecret, 'Zq3KcV8mW2pLx7RtY4nB9sHd6GfJ1aEu'],
	]),
	bindings: {
		webserver: [{kind: 'ssh', label: 'ssh:maas'}],
		dbserver: [{kind: 'ssh', label: 'ssh:maas'}],
		hypervisor: [
			{kind: 'ssh', label: 'ssh:hv2'},
			{kind: 'ssh', label: 'ssh:spike@192.0.2.30:2222'},
		],
	},
	steps: {
		'operator-key-webserver': operator,
		'operator-key-dbserver': operator,
		'operator-key-hypervisor': operator,
		'sudo-webserver': sudo,
		'sudo-dbserver': sudo,
		'sudo-hypervisor': sudo,
		'hypervisor-packages': {
			// iptables-persistent brings iptables and netfilter-persistent with it.
			// isc-dhcp-server fails to start until its subnet is configured, which the guide never does: a warning, still ok.
			before: {'isc-dhcp-server-state': 'inactive\n'},
			after: {installed: withPackages(minbasePackages, ...hypervisorPackages), 'isc-dhcp-server-state': 'failed\n'},
		},
		'maas-packages': {
			after: {installed: withPackages(minbasePackages, 'nginx', 'php-fpm', 'php8.2-fpm', 'php-mysql', 'php8.2-mysql', 'mariadb-client', 'iptables', 'autossh')},
		},
		// A systemd host: no mariadb unit before the install, apt starts it.
		'db-packages': {
			before: {'mariadb-state': 'inactive\n'},
			after: {installed: withPackages(minbasePackages, 'mariadb-server', 'mariadb-client'), 'mariadb-state': 'active\n'},
		},
		// One host: the user logs in over the local socket; MariaDB keeps Debian's 127.0.0.1.
		'db-access': {
			before: {mariadb: '/usr/bin/mariadb\n', version: mariadb1011, state: '0\t0\t0\n', addresses: '192.0.2.3 \n', sockets: '0100007F:0CEA\n'},
			after: {state: '1\t1\t8\n'},
		},
		'db-client': {
			before: {login: {text: "ERROR 1045 (28000): Access denied for user 'drupal'@'localhost' (using password: YES)\n", exitCode: 1}},
			after: {login: 'drupal\n'},
		},
		cgroups: {},
		'memory-cgroup': {},
		'foundation-cron': {},
		'sshd-hardening': {
			// Debian's default sshd offers keys and passwords; once reloaded with the drop-in, keys only, root by key only.
			before: {others: '', effective: sshdEffective({}), offered: 'waymark-probe@127.0.0.1: Permission denied (publickey,password).\n'},
			after: {
				effective: sshdEffective({permitrootlogin: 'without-password', passwordauthentication: 'no', kbdinteractiveauthentication: 'no'}),
				others: '/etc/ssh/sshd_config.d/00-waymark.conf\n',
				offered: 'waymark-probe@127.0.0.1: Permission denied (publickey).\n',
			},
		},
		'maas-firewall': {
			// iptables-persistent came with the packages step: it saved the (empty) rules and loads them at boot.
			before: {
				iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
				chain: {text: '', exitCode: 1},
				input: '-P INPUT ACCEPT\n',
				saved: iptablesSave({filter: []}),
				boot: 'netfilter-persistent\n',
				// The run comes in through loopback (a ProxyCommand on the host), which the chain keeps.
				client: '127.0.0.1\n',
			},
			after: {chain: `${chain.join('\n')}\n`, input: `-P INPUT ACCEPT\n${jump}\n`, saved: iptablesSave({filter: [...chain, jump]}), ...ipv6After(chain, jump)},
		},
		'maas-nginx': {
			// apt started nginx with its default site.
			before: {nginx: '/usr/sbin/nginx\n', enabled: noUnit, default: 'present\n', running: 'active\n'},
			after: {enabled: `${maasNginxPaths.site}\n`, default: 'absent\n'},
		},
		'php-fpm-settings': {
			// Debian's php8.2-fpm installs php.ini-production as the fpm php.ini.
			before: {
				'php-ini': `${phpIni}\n${fixture('php/debian-12-php.ini-production')}`,
				pool: `${pool}\n${fixture('php/debian-12-www.conf')}`,
				binary: '/usr/sbin/php-fpm8.2\n',
				running: 'php8.2-fpm active\n',
			},
			// The step reads both files through one command each (the path, then the text).
			after: (_ctx, plan): Values => ({'php-ini': `${phpIni}\n${written(plan, phpIni)}`, pool: `${pool}\n${written(plan, pool)}`}),
		},
		'tunnel-relay': {before: {passwd: noAccount, keys: ''}, after: ctx => ({passwd: tunnelAccount, keys: `${relayKeyLine(ctx)}\n`})},
		'tunnel-client': {
			before: ctx => ({
				passwd: noAccount,
				config: {text: '', exitCode: 1},
				key: {text: '', exitCode: 1},
				owners: '',
				autossh: '/usr/bin/autossh\n',
				active: tunnelStates(ctx, 'inactive down'),
			}),
			after: (ctx, plan) => ({
				passwd: tunnelAccount,
				config: written(plan, '/home/tunnel/.ssh/config'),
				key: written(plan, '/home/tunnel/.ssh/id_tunnel'),
				owners: 'tunnel .ssh\ntunnel .ssh/config\ntunnel .ssh/id_tunnel\n',
				active: tunnelStates(ctx, 'active up'),
			}),
		},
		'container-proxy': {
			before: {lo, active: {text: 'inactive\n', exitCode: 3}},
			after: {lo: `${lo}1: lo    inet 192.168.49.49/32 scope global lo:0\\       valid_lft forever preferred_lft forever\n`, active: 'active\n'},
		},
		// lxcContainer and dockerImage are empty by default: nothing is moved or saved.
		'lxc-move': {},
		'docker-image': {},
	},
	variants: [
		{
			// The guide's first example: MariaDB listens on its own address too, the user may come from the web server only.
			name: 'a MaaS of two servers, web and database apart',
			answers: {dbAddress: '192.0.2.4', webAddress: '192.0.2.3'},
			steps: {
				'db-access': {
					before: {mariadb: '/usr/bin/mariadb\n', version: mariadb1011, state: '0\t0\t0\n', addresses: '192.0.2.4 \n', sockets: '0100007F:0CEA\n'},
					after: {state: '1\t1\t8\n', sockets: '0100007F:0CEA\n040200C0:0CEA\n'},
				},
				'db-client': {
					before: {login: {text: "ERROR 2002 (HY000): Can't connect to server on '192.0.2.4' (115)\n", exitCode: 1}},
					after: {login: 'drupal\n'},
				},
			},
		},
		{
			name: 'a container moved, an image saved, sudo without a password',
			answers: {lxcContainer: 'web1', lxcFrom: 'hv2', lxcTo: 'root@10.99.0.3', dockerImage: 'foundation/probe:latest', sudoNopasswd: true},
			steps: {
				'sudo-hypervisor': {before: sudo.before, after: {sudo: '/usr/bin/sudo\n', groups: 'spike sudo\n', probe: 'sudo-ok\n'}},
				// Only hv2 moves it; the destination answers over ssh once the archive is extracted there.
				'lxc-move': {
					before: (ctx): Values => (isSource(ctx) ? {config: lxcConfig, moved: {text: '', exitCode: 1}} : {}),
					after: (ctx): Values => (isSource(ctx) ? {moved: 'moved\n'} : {}),
				},
				'docker-image': {
					before: {id: `${imageId}\n`, saved: {text: '', exitCode: 1}, running: ''},
					after: {saved: `${imageId}\n`},
				},
			},
		},
	],
};
