// The foundation MaaS guide (shared/guides/foundation-maas-hypervisors.md): LXC hypervisors and a MaaS server linked by
// ssh tunnels, every instruction as a step or its modern equivalent.
import {hypervisorsNotDoneHere} from './not-done-here.js';
import {answerList, answerText} from '../../source/engine/params.js';
import type {ParamError, Step, Wizard} from '../../source/engine/types.js';
import {aptPackagesStep} from '../common/apt-packages.js';
import {cgroupsStep} from '../common/cgroups.js';
import {containerProxyStep} from './container-proxy.js';
import {dockerImageStep} from './docker-image.js';
import {foundationCronStep} from './foundation-cron.js';
import {lxcMoveStep} from './lxc-move.js';
import {maasFirewallStep} from './maas-firewall.js';
import {sshdHardeningStep} from '../common/sshd-hardening.js';
import {dbAnswerErrors, dbClientStep, dbPasswordSpec, dbServerStep} from './maas-database.js';
import {maasNginxStep, maasTls} from './maas-nginx.js';
import {memoryCgroupStep} from './memory-cgroup.js';
import {operatorKeyStep} from './operator-access.js';
import {vaultParam} from '../common/operator-vault.js';
import {phpFpmSettingsStep} from './php-fpm-settings.js';
import {withRunningUnit} from './service-running.js';
import {sudoStep} from './sudo-access.js';
import {tunnelClientStep, tunnelKeySecret} from './tunnel-client.js';
import {tunnelRelayStep} from './tunnel-relay.js';
import {ufwAwarePackagesStep} from './ufw-aware-packages.js';
import {vaultSshKeySecret} from './vault-ssh-keys.js';

const id = 'hypervisors';
const roles = ['webserver', 'dbserver', 'hypervisor'] as const;
export const operatorKeySecret = 'hypervisors-operator-key';

function onEveryRole(build: (role: string) => Step): Step[] {
	return roles.map(role => build(role));
}

const userName = /^[a-z_][a-z\d_-]{0,31}$/;

export const hypervisors: Wizard = {
	id,
	title: 'LXC hypervisors and a MaaS server linked by ssh tunnels',
	guide: 'foundation-maas-hypervisors.md',
	summary:
		'Sets up the foundation MaaS: operator key and sudo on every host, the web server (nginx TLS site, php-fpm) and the database server ' +
		'(MariaDB), and any number of LXC hypervisors (packages, cron jobs, firewall) that reach the MaaS through reverse ssh tunnels kept ' +
		'up by autossh units, with a port for their containers. Optionally moves an LXC container between hypervisors or saves a Docker ' +
		'image as .maas. Drupal itself is not installed (the guide leaves that section empty).',
	roles: [...roles],
	params: [
		{name: 'operatorUser', type: 'string', help: "The account you log in as on every host (the guide's spike); gets the operator key and sudo"},
		{
			name: 'operatorKeyType',
			type: 'enum',
			choices: ['ed25519', 'rsa'],
			default: 'ed25519',
			help: "Operator key type: ed25519, or rsa (4096 bits, as the guide's ssh-keygen -b 4096) for old peers",
		},
		{
			name: 'sudoNopasswd',
			type: 'boolean',
			default: false,
			help: 'Let operatorUser use sudo without a password (a sudoers.d drop-in); otherwise use --become, which asks once',
		},
		vaultParam(),
		{
			name: 'hypervisorPackages',
			type: 'word-list',
			default: ['lxc', 'git', 'bridge-utils', 'iptables-persistent', 'isc-dhcp-server', 'autossh'],
			help: 'Packages for the hypervisors (iptables-persistent removes ufw)',
		},
		{
			name: 'maasPackages',
			type: 'word-list',
			default: ['nginx', 'php-fpm', 'php-mysql', 'mariadb-client', 'iptables', 'autossh'],
			help:
				"Packages for the web server (php-fpm is today's php5-fpm, php-mysql lets Drupal reach MariaDB, mariadb-client proves the " +
				'login; autossh keeps the tunnels to the hypervisors)',
		},
		{name: 'dbPackages', type: 'word-list', default: ['mariadb-server', 'mariadb-client'], help: 'Packages for the database server'},
		{name: 'dbName', type: 'string', default: 'drupal', help: 'The MaaS database on the database server (Drupal keeps its tables there)'},
		{name: 'dbUser', type: 'string', default: 'drupal', help: 'The MariaDB user the web server logs in as (its password is made once and kept in your vault)'},
		{
			name: 'dbAddress',
			type: 'ipv4',
			optional: true,
			default: '',
			help: "The database server's address the web server connects to (MariaDB listens there too); empty when both are one host",
		},
		{
			name: 'webAddress',
			type: 'ipv4',
			optional: true,
			default: '',
			help: "The web server's address as the database server sees it (the only host the database user may connect from)",
		},
		{name: 'maasAddress', type: 'ipv4', help: "The MaaS server's address as the hypervisors see it (the only source allowed on maasPort)"},
		{name: 'maasPort', type: 'port', default: '4443', help: "Port on the hypervisors only the MaaS may reach (the guide's 4443)"},
		{name: 'hypervisorSshPort', type: 'port', default: '22', help: "The hypervisors' sshd port, open to the MaaS only (the guide's 3333)"},
		{
			name: 'adminSources',
			type: 'ipv4-list',
			optional: true,
			default: [],
			help: 'Addresses you log in to the hypervisors from, kept open on their sshd beside the MaaS (loopback always is)',
		},
		{
			name: 'maasUrl',
			type: 'string',
			default: 'https://127.0.0.1:44443',
			help: "URL_MAAS for the cron jobs: through the tunnel (the guide's final choice) or the MaaS directly",
		},
		{name: 'maasInsecure', type: 'boolean', default: true, help: 'Pass -k to curl in URL_MAAS (the MaaS certificate is self-signed)'},
		{name: 'cronUser', type: 'string', default: 'root', help: 'Account that runs the foundation scripts (they manage containers and iptables)'},
		{name: 'scriptsDir', type: 'path', default: '/opt/foundation/scripts', help: 'Where the foundation scripts are on the hypervisors'},
		{name: 'maasHostname', type: 'hostname', default: 'maas.local', help: "Name in the MaaS site's self-signed certificate"},
		{name: 'httpsPort', type: 'port', default: '4443', help: 'Port of the MaaS nginx site, which the tunnels forward to'},
		{name: 'tunnelUser', type: 'string', default: 'tunnel', help: 'Dedicated account that runs the tunnels on the MaaS and receives them on the hypervisors'},
		{
			name: 'tunnelEndpoints',
			type: 'word-list',
			optional: true,
			default: [],
			help: 'HOST[:PORT] the MaaS dials for each hypervisor, in target order; empty uses the hypervisor targets',
		},
		{name: 'relayPort', type: 'port', default: '44443', help: "Port on each hypervisor's loopback that leads to the MaaS (the guide's 44443)"},
		{name: 'containerAddress', type: 'ipv4', default: '192.168.49.49', help: "Address added to lo on the hypervisors for containers (the guide's lo:0)"},
		{name: 'containerPort', type: 'port', default: '64443', help: 'Port containers use on containerAddress to reach the MaaS'},
		{name: 'lxcContainer', type: 'string', optional: true, default: '', help: 'LXC container to move between hypervisors; empty to skip'},
		{name: 'lxcFrom', type: 'string', optional: true, default: '', help: 'The hypervisor it moves from (its host as in the inventory)'},
		{name: 'lxcTo', type: 'string', optional: true, default: '', help: 'Where it goes, as the source hypervisor reaches it over ssh: [USER@]HOST[:PORT]'},
		{name: 'lxcDir', type: 'path', default: '/var/lib/lxc', help: 'LXC containers directory'},
		{name: 'dockerImage', type: 'string', optional: true, default: '', help: 'Docker image on the web server to save as .maas; empty to skip'},
		{name: 'imageDir', type: 'path', default: '/srv/maas/images', help: 'Where the .maas image goes'},
	],
	secrets: [
		vaultSshKeySecret({
			name: operatorKeySecret,
			title: 'Operator ssh key (kept in your vault)',
			wizard: id,
			folder: 'operator',
			typeParam: 'operatorKeyType',
			comment: 'waymark-operator',
		}),
		vaultSshKeySecret({
			name: tunnelKeySecret,
			title: 'Tunnel ssh key of the MaaS (kept in your vault)',
			wizard: id,
			folder: 'tunnel',
			comment: 'waymark-tunnel',
		}),
		maasTls,
		dbPasswordSpec(id),
	],
	validate(answers) {
		const errors: ParamError[] = [...dbAnswerErrors(answers)];
		// The same port twice would put the MaaS port's DROP before sshd's ACCEPTs.
		if (answerText(answers, 'maasPort') === answerText(answers, 'hypervisorSshPort')) {
			errors.push({
				field: 'hypervisorSshPort',
				message: `hypervisorSshPort: got ${answerText(answers, 'hypervisorSshPort')}, the same as maasPort; expected the hypervisors' sshd port, such as 22`,
			});
		}

		for (const name of ['operatorUser', 'cronUser', 'tunnelUser']) {
			if (!userName.test(answerText(answers, name))) {
				errors.push({field: name, message: `${name}: got ${JSON.stringify(answerText(answers, name))}; expected an account name such as spike`});
			}
		}

		for (const endpoint of answerList(answers, 'tunnelEndpoints')) {
			if (!/^[\w.-]+(:\d{1,5})?$/.test(endpoint)) {
				errors.push({field: 'tunnelEndpoints', message: `tunnelEndpoints: ${JSON.stringify(endpoint)} is not HOST[:PORT]`});
			}
		}

		if (answerText(answers, 'lxcContainer') !== '') {
			if (!/^[\w.-]+$/.test(answerText(answers, 'lxcContainer'))) {
				errors.push({field: 'lxcContainer', message: `lxcContainer: ${JSON.stringify(answerText(answers, 'lxcContainer'))} is not a container name`});
			}

			if (!/^[\w.-]+$/.test(answerText(answers, 'lxcFrom'))) {
				errors.push({field: 'lxcFrom', message: 'lxcFrom: name the source hypervisor (its host as in the inventory)'});
			}

			if (!/^([a-z_][\w.-]*@)?[\w.-]+(:\d{1,5})?$/.test(answerText(answers, 'lxcTo'))) {
				errors.push({field: 'lxcTo', message: 'lxcTo: expected [USER@]HOST[:PORT] as the source hypervisor reaches the destination'});
			}
		}

		if (!/^[\w./:@-]*$/.test(answerText(answers, 'dockerImage'))) {
			errors.push({
				field: 'dockerImage',
				message: `dockerImage: ${JSON.stringify(answerText(answers, 'dockerImage'))} is not an image name such as myimage:latest`,
			});
		}

		return errors;
	},
	notDoneHere: hypervisorsNotDoneHere,
	steps: [
		...onEveryRole(role => operatorKeyStep({role, userParam: 'operatorUser', secret: operatorKeySecret, keyTypeParam: 'operatorKeyType'})),
		...onEveryRole(role => sudoStep({role, userParam: 'operatorUser', nopasswdParam: 'sudoNopasswd'})),
		withRunningUnit(
			ufwAwarePackagesStep({
				id: 'hypervisor-packages',
				title: 'Hypervisor packages',
				why:
					"The guide's hypervisor list: lxc for the containers, git to update the engine, bridge-utils for the bridges, iptables-persistent to keep " +
					'the rules, isc-dhcp-server to give containers addresses, autossh for the tunnels. iptables-persistent conflicts with ufw, so installing ' +
					'it removes ufw: the plan warns when ufw is there.',
				role: 'hypervisor',
				param: 'hypervisorPackages',
			}),
			{
				unit: 'isc-dhcp-server',
				package: 'isc-dhcp-server',
				whenDown: 'warn',
				consequence:
					'Containers get no addresses: isc-dhcp-server needs a subnet for their bridge in /etc/dhcp/dhcpd.conf and the bridge in INTERFACESv4 ' +
					'of /etc/default/isc-dhcp-server, and the guide gives neither.',
			},
		),
		aptPackagesStep({
			id: 'maas-packages',
			title: 'MaaS web server packages',
			why:
				'The guide installs nginx and php5-fpm on the web server (iptables is in its list too). php5 is gone from every supported release; ' +
				"php-fpm installs the distribution's current PHP. The guide puts autossh on the hypervisors only, yet the MaaS is the one that " +
				'dials the tunnels, so it gets autossh too.',
			role: 'webserver',
			param: 'maasPackages',
		}),
		withRunningUnit(
			aptPackagesStep({
				id: 'db-packages',
				title: 'MariaDB server and client',
				why:
					'The guide starts the MaaS with the database server: `apt-get -y install mariadb-server mariadb-client`. ' +
					'Installed noninteractively, only what is missing.',
				role: 'dbserver',
				param: 'dbPackages',
			}),
			{unit: 'mariadb', consequence: 'The MaaS has no database to work with.'},
		),
		dbServerStep({wizard: id, role: 'dbserver'}),
		dbClientStep({wizard: id, role: 'webserver'}),
		cgroupsStep({role: 'hypervisor'}),
		memoryCgroupStep({wizard: id, role: 'hypervisor'}),
		foundationCronStep({wizard: id, role: 'hypervisor'}),
		sshdHardeningStep({
			wizard: id,
			role: 'hypervisor',
			params: [],
			why:
				"The guide's hypervisors take the MaaS and the operator by key only, with root logins disabled. Passwords go off for everyone; " +
				'root keeps key-only logins (prohibit-password) rather than none, since Waymark itself connects as root here and the operator ' +
				'account with sudo comes from the operator step; set PermitRootLogin no by hand once you connect as that account with --become.',
			settings: () => ({PermitRootLogin: 'prohibit-password', PasswordAuthentication: 'no', KbdInteractiveAuthentication: 'no'}),
		}),
		maasFirewallStep({role: 'hypervisor'}),
		maasNginxStep({wizard: id, role: 'webserver'}),
		phpFpmSettingsStep({role: 'webserver'}),
		tunnelRelayStep({wizard: id, role: 'hypervisor'}),
		tunnelClientStep({wizard: id, role: 'webserver'}),
		containerProxyStep({wizard: id, role: 'hypervisor'}),
		lxcMoveStep({role: 'hypervisor'}),
		dockerImageStep({role: 'webserver'}),
	],
};
