// The uwsgi.it node guide (shared/guides/uwsgi-it-node.md), every instruction as a step or its modern equivalent.
import {uwsgiNodeNotDoneHere} from './not-done-here.js';
import {answerList, answerText} from '../../source/engine/params.js';
import type {ParamError, Wizard} from '../../source/engine/types.js';
import {aptPackagesStep} from '../common/apt-packages.js';
import {cgroupsStep} from '../common/cgroups.js';
import {directoriesStep} from './directories.js';
import {fstabQuotaStep} from './fstab-quota.js';
import {ioSchedulerStep} from './io-scheduler.js';
import {kernelCmdlineStep} from '../common/kernel-cmdline.js';
import {nssModuleStep} from './nss-module.js';
import {pamSessionStep} from './pam-session.js';
import {sshdHardeningStep} from '../common/sshd-hardening.js';
import {timeSyncStep} from './time-sync.js';
import {clusterFirewallStep} from './cluster-firewall.js';
import {tuntapFirewallStep} from './tuntap-firewall.js';
import {uwsgiItTreeStep} from './uwsgi-it-tree.js';
import {uwsgiLocalIniStep} from './uwsgi-local-ini.js';
import {sslSecret, uwsgiSslStep} from './uwsgi-ssl.js';
import {vaultParam} from '../common/operator-vault.js';

const id = 'uwsgi-node';
const role = 'node';

export const uwsgiDirectories = [
	'/containers',
	'/distros',
	'/ns',
	'/opt/unbit/uwsgi/plugins',
	'/etc/uwsgi',
	'/etc/uwsgi/vassals',
	'/etc/uwsgi/domains',
	'/etc/uwsgi/ssl',
	'/var/log/uwsgi',
];

export const uwsgiNode: Wizard = {
	id,
	title: 'uwsgi.it hosting node',
	guide: 'uwsgi-it-node.md',
	summary:
		'Prepares a server to host uwsgi.it containers: fair I/O scheduling, quotas, hardened sshd, packages, container users in NSS and PAM, the uwsgi.it tree and node settings, and a firewall that keeps the tuntap gateway and the cluster ports (subscriptions, legions, fastrouter) to the other nodes.',
	roles: [role],
	params: [
		{
			name: 'ioScheduler',
			type: 'enum',
			choices: ['bfq', 'mq-deadline', 'kyber', 'none'],
			default: 'bfq',
			help: 'I/O scheduler for rotating disks (bfq is the fair one, what the guide wanted from cfq)',
		},
		{
			name: 'nomodeset',
			type: 'boolean',
			default: false,
			help: "Add nomodeset to the kernel command line (only for broken graphics; the guide's server had it)",
		},
		{name: 'quotaMount', type: 'path', default: '/', help: 'Mount point of the filesystem that holds /containers (gets user quotas)'},
		{
			name: 'sshAuthorizedKeysFile',
			type: 'string',
			default: '%h/.ssh/authorized_keys %h/.ssh/uwsgi_authorized_keys',
			help: 'sshd AuthorizedKeysFile: your keys file plus the one uWSGI manages',
		},
		{
			name: 'sshClientAliveInterval',
			type: 'integer',
			min: 1,
			max: 86_400,
			default: '30',
			help: 'sshd ClientAliveInterval in seconds (keeps idle sessions alive); empty to leave it out',
			optional: true,
		},
		{
			name: 'packages',
			type: 'word-list',
			default: ['git', 'make', 'build-essential', 'libpam-dev', 'libcurl4-openssl-dev', 'quota', 'e2fsprogs', 'iptables'],
			help: 'Debian packages the node needs (the NTP client is chosen below)',
		},
		{
			name: 'ntpClient',
			type: 'enum',
			choices: ['chrony', 'ntpsec', 'systemd-timesyncd', 'none'],
			default: 'chrony',
			help: 'NTP client to install when none is present (the guide installs ntp); none leaves the clock alone, e.g. in a container',
		},
		{
			name: 'nssModule',
			type: 'string',
			default: 'unbit',
			optional: true,
			help: 'NSS module for container users (libnss_NAME.so.2); empty to leave nsswitch.conf alone',
		},
		{
			name: 'nssSource',
			type: 'string',
			default: 'https://github.com/unbit/nss-unbit',
			optional: true,
			help: 'git URL or path to build the NSS module from when it is missing (make as root)',
		},
		{
			name: 'pamLine',
			type: 'string',
			default: 'session required pam_unbit.so',
			optional: true,
			help: 'PAM line added below pam_env in the sshd stack; empty to leave PAM alone',
		},
		{name: 'pamFile', type: 'path', default: '/etc/pam.d/sshd', help: 'PAM service file to edit'},
		{
			name: 'pamSource',
			type: 'string',
			default: 'https://github.com/unbit/pam-unbit',
			optional: true,
			help: 'git URL or path to build the PAM module from when it is missing',
		},
		{name: 'directories', type: 'word-list', default: uwsgiDirectories, help: 'Directories the node needs (absolute paths)'},
		{
			name: 'uwsgiItSource',
			type: 'string',
			default: 'https://github.com/unbit/uwsgi.it',
			optional: true,
			help: 'git URL or path of uwsgi.it (services and emperor scripts); empty to skip',
		},
		{name: 'publicIp', type: 'ipv4', help: "This node's public IPv4 address (public_ip in local.ini, destination of the tuntap rules)"},
		{name: 'apiDomain', type: 'hostname', help: 'Domain of the uwsgi.it API server (api_domain in local.ini)'},
		{name: 'vassalEnv', type: 'word-list', default: ['LANG=en_US.UTF-8'], help: 'env entries for local.ini'},
		{name: 'peerNodes', type: 'ipv4-list', optional: true, default: [], help: 'Public IPv4 addresses of the other nodes (allowed to reach the tuntap port)'},
		{name: 'tuntapPort', type: 'port', default: '999', help: 'UDP port of the tuntap gateway (privileged, so peers must send from it too)'},
		{name: 'subscriptionPort', type: 'port', default: '2000', help: "UDP port the fastrouter forwards subscriptions from and to (the guide's 2000)"},
		{
			name: 'legionPorts',
			type: 'word-list',
			default: ['2100'],
			help: 'UDP port of each legion (2100 and up; each legion talks from its own port to the same port on the other nodes)',
		},
		{name: 'fastrouterPort', type: 'port', default: '998', help: 'TCP port of the fastrouter, for the legion HTTP routers only'},
		vaultParam(),
	],
	secrets: [sslSecret('apiDomain', id)],
	validate(answers) {
		const errors: ParamError[] = [];
		for (const directory of answerList(answers, 'directories')) {
			if (!directory.startsWith('/') || directory.split('/').includes('..')) {
				errors.push({field: 'directories', message: `directories: ${JSON.stringify(directory)} is not an absolute path; expected paths such as /containers`});
			}
		}

		const pamLine = answerText(answers, 'pamLine').trim();
		if (pamLine !== '' && !/^(session|auth|account|password)\s+(required|requisite|sufficient|optional)\s+[\w.-]+\.so(\s+[\w.=/-]+)*$/.test(pamLine)) {
			errors.push({
				field: 'pamLine',
				message: `pamLine: got ${JSON.stringify(pamLine)}; expected TYPE CONTROL MODULE.so [ARGS], such as session required pam_unbit.so`,
			});
		}

		for (const port of answerList(answers, 'legionPorts')) {
			if (!/^\d+$/.test(port) || Number(port) < 2100 || Number(port) > 65_535) {
				errors.push({field: 'legionPorts', message: `legionPorts: got ${JSON.stringify(port)}; expected ports from 2100 to 65535, such as 2100`});
			}
		}

		if (!/^[\w.-]*$/.test(answerText(answers, 'nssModule'))) {
			errors.push({field: 'nssModule', message: `nssModule: got ${JSON.stringify(answerText(answers, 'nssModule'))}; expected a module name such as unbit`});
		}

		for (const name of ['nssSource', 'pamSource', 'uwsgiItSource']) {
			const source = answerText(answers, name);
			if (source !== '' && !/^(https?:\/\/|git@|\/)[\w.@:/~+-]+$/.test(source)) {
				errors.push({field: name, message: `${name}: got ${JSON.stringify(source)}; expected a git URL (https://…) or an absolute path`});
			}
		}

		return errors;
	},
	// Packages first: the quota tools and the compilers for the NSS/PAM modules are needed by later steps.
	notDoneHere: uwsgiNodeNotDoneHere,
	steps: [
		aptPackagesStep({
			role,
			param: 'packages',
			why: 'The guide installs git, make and build-essential to build the NSS/PAM modules and uWSGI, libpam-dev and libcurl for them, and quota for the quota tools; e2fsprogs (dumpe2fs) and iptables, which a minimal image lacks, tell whether ext4 has the quota feature and set the tuntap firewall. Installed noninteractively, keeping existing config files, and only what is missing; a name another package provides (libpam-dev, from libpam0g-dev) counts as installed.',
		}),
		timeSyncStep({role, param: 'ntpClient'}),
		ioSchedulerStep({wizard: id, role, param: 'ioScheduler'}),
		kernelCmdlineStep({wizard: id, role, nomodesetParam: 'nomodeset'}),
		cgroupsStep({role}),
		fstabQuotaStep({role, mountParam: 'quotaMount'}),
		sshdHardeningStep({
			wizard: id,
			role,
			params: ['sshAuthorizedKeysFile', 'sshClientAliveInterval'],
			settings: ctx => ({
				AuthorizedKeysFile: answerText(ctx.answers, 'sshAuthorizedKeysFile'),
				PasswordAuthentication: 'no',
				KbdInteractiveAuthentication: 'no',
				X11Forwarding: 'no',
				...(answerText(ctx.answers, 'sshClientAliveInterval') === '' ? {} : {ClientAliveInterval: answerText(ctx.answers, 'sshClientAliveInterval')}),
			}),
		}),
		nssModuleStep({role, moduleParam: 'nssModule', sourceParam: 'nssSource'}),
		pamSessionStep({role, lineParam: 'pamLine', fileParam: 'pamFile', sourceParam: 'pamSource'}),
		directoriesStep({
			role,
			param: 'directories',
			why: "The guide's tree: container homes in /containers, distribution root filesystems in /distros, /ns as a fake mount point for namespaces, the uWSGI plugins directory, /etc/uwsgi with vassals, domains and ssl, and /var/log/uwsgi for logs.",
		}),
		uwsgiItTreeStep({role, sourceParam: 'uwsgiItSource'}),
		uwsgiLocalIniStep({role, publicIpParam: 'publicIp', apiDomainParam: 'apiDomain', envParam: 'vassalEnv'}),
		uwsgiSslStep({wizard: id, role, domainParam: 'apiDomain'}),
		tuntapFirewallStep({role, nodeIpParam: 'publicIp', peersParam: 'peerNodes', portParam: 'tuntapPort'}),
		clusterFirewallStep({role, nodeIpParam: 'publicIp', peersParam: 'peerNodes'}),
	],
};
