// uwsgi-node on a Debian 12 server: one node of three, the API domain's certificate made for this run.
import {MemoryVault} from '../../../source/engine/memory-vault.js';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {clusterJump, clusterRules} from '../../../wizards/uwsgi-node/cluster-firewall.js';
import {tuntapJump, tuntapRules} from '../../../wizards/uwsgi-node/tuntap-firewall.js';
import {sslSecretName} from '../../../wizards/uwsgi-node/uwsgi-ssl.js';
import {iptablesSave, ipv6After, minbasePackages, noUnit, sshdEffective, withPackages, type WizardCases} from './host.js';

const answers = {publicIp: '192.0.2.10', apiDomain: 'api.example.test', peerNodes: ['192.0.2.11', '192.0.2.12']};
const ssl = await uwsgiNode.secrets!.find(spec => spec.name === sslSecretName)!.generate({apiDomain: answers.apiDomain}, new MemoryVault());

// The packages step ran first: the quota tools, git and the compilers are there for the steps after it.
const nodePackages = ['git', 'make', 'build-essential', ['libpam0g-dev', 'libpam-dev'], 'libcurl4-openssl-dev', 'quota', 'e2fsprogs', 'iptables'] as const;
const withNodePackages = withPackages(minbasePackages, ...nodePackages);
const root = {mount: 'ext4 /dev/vda1\n', dumpe2fs: '/usr/sbin/dumpe2fs\n', quotatools: '/usr/sbin/quotacheck\n/usr/sbin/quotaon\n', kernel: 'yes\n'};
// mke2fs's defaults on Debian 12: no quota feature, so the guide's journaled quota files are used.
const featureWords = ['has_journal', 'ext_attr', 'resize_inode', 'dir_index', 'filetype', 'needs_recovery', 'extent', '64bit', 'flex_bg', 'sparse_super'];
const features = `Filesystem features:      ${[...featureWords, 'large_file', 'huge_file', 'dir_nlink', 'extra_isize', 'metadata_csum'].join(' ')}\n`;
/** The NSS modules of Debian 12 (libc6 and libnss-systemd), as the step's probe lists them. */
const debianNssModules = ['compat', 'dns', 'files', 'hesiod', 'systemd'].map(name => `/lib/x86_64-linux-gnu/libnss_${name}.so.2\n`).join('');
/** The emperor scripts as the copy command leaves them (only their existence is read). */
const copiedTree = {'collector.pl': '#!/usr/bin/perl\n', 'configurator.pl': '#!/usr/bin/perl\n', 'dominator.pl': '#!/usr/bin/perl\n'};
const chain = tuntapRules(answers.publicIp, answers.peerNodes, '999');
const jump = tuntapJump('999');
const cluster = clusterRules(answers.publicIp, answers.peerNodes, {subscription: '2000', legion: ['2100'], fastrouter: '998'});

export const uwsgiNodeCases: WizardCases = {
	answers,
	secrets: new Map([[sslSecretName, ssl]]),
	bindings: {node: [{kind: 'ssh', label: 'ssh:node1'}]},
	steps: {
		packages: {after: {installed: withNodePackages}},
		'time-sync': {before: {running: ''}, after: {installed: withPackages(minbasePackages, ['chrony', 'time-daemon']), running: 'chronyd\n'}},
		'io-scheduler': {
			// A virtio disk reports rotational 1; bfq is a module, listed once udev's write loaded it.
			before: {disks: 'vda 1 [mq-deadline] none\n'},
			after: {disks: 'vda 1 mq-deadline [bfq] none\n'},
		},
		'kernel-cmdline': {},
		cgroups: {},
		'fstab-quota': {
			before: {...root, features, quotaon: 'user quota on / (/dev/vda1) is off\n'},
			// quotaon -p exits with the number of quotas that are on (quota-tools quotaon.c: `errs += print_state()`), so the
			// probe ends in `; true` and reads the text alone.
			after: {quotaon: 'user quota on / (/dev/vda1) is on\n'},
		},
		'sshd-hardening': {
			// Debian's default sshd offers keys and passwords; once reloaded with the drop-in, keys only.
			before: {others: '', effective: sshdEffective({}), offered: 'waymark-probe@127.0.0.1: Permission denied (publickey,password).\n'},
			after: ctx => ({
				effective: sshdEffective({
					authorizedkeysfile: String(ctx.answers['sshAuthorizedKeysFile']),
					passwordauthentication: 'no',
					kbdinteractiveauthentication: 'no',
					x11forwarding: 'no',
					clientaliveinterval: String(ctx.answers['sshClientAliveInterval']),
				}),
				others: '/etc/ssh/sshd_config.d/00-waymark.conf\n',
				offered: 'waymark-probe@127.0.0.1: Permission denied (publickey).\n',
			}),
		},
		'nss-module': {
			before: {library: '', modules: debianNssModules},
			// nss-unbit's Makefile builds straight into /lib/libnss_unbit.so.2, which ld.so searches after the multiarch dirs.
			after: {library: '/lib/libnss_unbit.so.2\n', modules: `${debianNssModules}/lib/libnss_unbit.so.2\n`},
		},
		// pam-unbit's Makefile builds into /lib/x86_64-linux-gnu/security, where Debian's pam_unix.so is.
		'pam-session': {before: {module: ''}, after: {module: '/lib/x86_64-linux-gnu/security/pam_unbit.so\n'}},
		directories: {},
		'uwsgi-it-tree': {
			// uWSGI itself is not built yet (the guide leaves that section empty): the unit is written, not enabled.
			before: {enabled: noUnit, binary: 'missing\n'},
			after: {...copiedTree, services: ''},
		},
		'uwsgi-local-ini': {},
		'uwsgi-ssl': {},
		'tuntap-firewall': {
			// uwsgi-node's package list has no iptables; the server came with it (Hetzner's and OVH's images do).
			before: {iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n', chain: {text: '', exitCode: 1}, input: '-P INPUT ACCEPT\n'},
			after: {
				chain: `${chain.join('\n')}\n`,
				input: `-P INPUT ACCEPT\n${jump}\n`,
				saved: iptablesSave({filter: [...chain, jump]}),
				boot: 'waymark\n',
				...ipv6After(chain, jump),
			},
		},
		'cluster-firewall': {
			before: {iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n', chain: {text: '', exitCode: 1}, input: '-P INPUT ACCEPT\n'},
			after: {
				chain: `${cluster.join('\n')}\n`,
				input: `-P INPUT ACCEPT\n${clusterJump}\n`,
				saved: iptablesSave({filter: [...cluster, clusterJump]}),
				boot: 'waymark\n',
				...ipv6After(cluster, clusterJump),
			},
		},
	},
	variants: [
		{
			name: 'uWSGI built into /opt/unbit/uwsgi',
			answers: {},
			steps: {
				'uwsgi-it-tree': {
					before: {enabled: noUnit, binary: 'built\n'},
					after: {...copiedTree, services: '', enabled: 'enabled\n'},
				},
			},
		},
	],
};
