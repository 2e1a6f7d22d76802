// What the local apt repository of each suite holds: the packages the wizards install during tests, in groups
// (some conflict with each other, so each group and each package is resolved on its own against the bare image).
import type {Suite} from './suites.js';

export interface PackageGroup {
	/** Short name, used in build logs. */
	readonly name: string;
	/** Why the tests need it. */
	readonly why: string;
	readonly packages: readonly string[];
	/** Suites where the group exists; default all. */
	readonly onlyIn?: readonly Suite[];
}

export const repoGroups: readonly PackageGroup[] = [
	{
		name: 'build',
		why: 'uwsgi-node builds a PAM module and uwsgi from source (the guide: git, make, build-essential, libpam-dev, libcurl4-openssl-dev)',
		// libpam-dev is virtual (Provides of libpam0g-dev, PITFALLS §11); it is listed so `apt-get install libpam-dev` is proven too.
		packages: ['git', 'make', 'build-essential', 'libpam0g-dev', 'libpam-dev', 'libcurl4-openssl-dev'],
	},
	{name: 'quota', why: 'fstab-quota turns on user/group quotas and reads ext4 features', packages: ['quota', 'e2fsprogs']},
	// The three NTP clients conflict with each other: a host gets one of them.
	{name: 'ntp-chrony', why: 'time-sync installs chrony by default', packages: ['chrony']},
	{name: 'ntp-ntpsec', why: 'time-sync can install ntpsec, what Debian ships instead of ntp', packages: ['ntpsec']},
	{name: 'ntp-timesyncd', why: 'time-sync can install systemd-timesyncd', packages: ['systemd-timesyncd']},
	{
		name: 'ntp-legacy',
		why: 'the guide installs ntp; bookworm still has it as a transitional package to ntpsec, trixie dropped it',
		packages: ['ntp'],
		onlyIn: ['bookworm'],
	},
	{name: 'web', why: 'nginx sites with basic auth (htpasswd from apache2-utils) for MaaS and mist.io', packages: ['nginx', 'apache2-utils']},
	{name: 'php', why: 'the MaaS web server: php-fpm (php8.2 on bookworm, php8.4 on trixie) and php-mysql for its database', packages: ['php-fpm', 'php-mysql']},
	{name: 'db', why: 'the MaaS database server (mariadb 10.11 on bookworm, 11.8 on trixie)', packages: ['mariadb-server', 'mariadb-client']},
	{name: 'vpn', why: 'OpenVPN point-to-point and cloudpipe, their keys and certificates', packages: ['openvpn', 'openssl', 'ca-certificates', 'easy-rsa']},
	{name: 'sudo', why: 'sudo-access and become tests', packages: ['sudo']},
	{name: 'wireguard', why: 'the vpn-multinode mesh; wireguard-go where the kernel module is not usable', packages: ['wireguard-tools', 'wireguard-go']},
	{
		name: 'firewall',
		why: 'iptables chains and rules saved across boots',
		packages: ['iptables', 'iptables-persistent', 'netfilter-persistent'],
	},
	// ufw Breaks iptables-persistent: apart, so a test can install ufw and watch iptables-persistent take it away.
	{name: 'ufw', why: 'ufw-aware-packages warns that iptables-persistent removes ufw', packages: ['ufw']},
	{
		name: 'hypervisor',
		why: 'the hypervisors guide: lxc, a bridge, DHCP for the containers (isc-dhcp-server is end-of-life upstream but still in both suites), autossh tunnels',
		packages: ['lxc', 'bridge-utils', 'isc-dhcp-server', 'autossh'],
	},
	{
		name: 'tools',
		why: 'what steps and tests call on a host: copying, archives, downloads, ping, sockets, process tools',
		packages: ['pv', 'zip', 'unzip', 'curl', 'iputils-ping', 'socat', 'procps', 'psmisc'],
	},
	{
		name: 'ansible',
		why: 'Ansible needs python3 on its targets, and python3-apt for its apt module (waymark export ansible)',
		packages: ['python3', 'python3-apt'],
	},
	{name: 'pam', why: 'nss-pam tests check a PAM stack with pamtester', packages: ['pamtester']},
	{name: 'uwsgi', why: 'uwsgi-node can use the packaged uwsgi and its python3 plugin', packages: ['uwsgi', 'uwsgi-plugin-python3']},
];

/** The groups of one suite. */
export function suiteGroups(suite: Suite): PackageGroup[] {
	return repoGroups.filter(group => group.onlyIn === undefined || group.onlyIn.includes(suite));
}

/** Every package name the repo of a suite is built for (as asked; see installableNames in apt-repo.ts for what it can install). */
export function repoPackageNames(suite: Suite): string[] {
	return [...new Set(suiteGroups(suite).flatMap(group => group.packages))].sort();
}
