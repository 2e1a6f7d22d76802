// A modern Debian host with systemd, as Waymark's fact reads see it before a step runs, and the vocabulary the
// per-wizard converged cases are written in. The OS-owned files are the real Debian 12 ones from test/fixtures.
import type {Fact, FactRequest, FileAction, Plan, StepContext, TargetInfo} from '../../../source/engine/types.js';
import {nftablesFlushProbe} from '../../../source/facts/iptables.js';
import {installedPackagesProbe} from '../../../source/facts/apt.js';
import {bootLoaderFact, ipv6Rules} from '../../../wizards/common/iptables-chain.js';
import {containerProbe} from '../../../wizards/common/platform.js';
import {fixture} from '../../edits/fixture.js';

/**
 * What one fact read returns. Files: text (mode 0644), {text, mode}, or null when missing. Dirs: any text when the
 * directory exists, null when not. Commands: text (exit 0) or {text, exitCode}.
 */
export type Value = string | null | {readonly text: string; readonly exitCode: number} | {readonly text: string; readonly mode: number};

export type Values = Readonly<Record<string, Value>>;

/** One step on a converged host: what it reads before it runs, and what its commands leave behind. */
export interface ConvergedCase {
	/** Facts by key where this host differs from the Debian host below (packages a prior step installed, say). */
	readonly before?: Values | ((ctx: StepContext) => Values);
	/**
	 * Facts by key as they read once the step's commands ran. Files and dirs the plan writes are fed back by
	 * themselves (matched by path); only what commands change, or files read through a command, go here.
	 */
	readonly after?: Values | ((ctx: StepContext, plan: Plan) => Values);
	/** `skipped` where the step says it does not apply to this host; ok otherwise. */
	readonly verdict?: 'ok' | 'skipped';
}

/** Everything a wizard's run shares: answers (defaults filled in by the test), secrets, the targets of each role. */
export interface WizardCases {
	readonly answers: Readonly<Record<string, unknown>>;
	readonly secrets: ReadonlyMap<string, string>;
	readonly bindings: Readonly<Record<string, readonly TargetInfo[]>>;
	/** One case per step id; a step without one fails the test. */
	readonly steps: Readonly<Record<string, ConvergedCase>>;
	/** The same hosts with other answers, for steps whose defaults leave them idle (nginx off, nothing to move). */
	readonly variants?: readonly Variant[];
}

/** Answers changed from the wizard's cases, and the steps they put to work. */
export interface Variant {
	readonly name: string;
	readonly answers: Readonly<Record<string, unknown>>;
	readonly steps: Readonly<Record<string, ConvergedCase>>;
}

/** `dpkg-query` of a Debian minbase install (the only real package list in test/fixtures: Debian 13's). */
export const minbasePackages = fixture('dpkg/debian-13-minbase.tsv');

/** /proc/cgroups of Debian 12's kernel 6.1 on cgroup v2: every controller enabled. */
const controllers = [
	...['cpuset', 'cpu', 'cpuacct', 'blkio', 'memory', 'devices', 'freezer'],
	...['net_cls', 'perf_event', 'net_prio', 'hugetlb', 'pids', 'rdma', 'misc'],
];
const procCgroups = ['#subsys_name\thierarchy\tnum_cgroups\tenabled', ...controllers.map(name => `${name}\t0\t77\t1`), ''].join('\n');

/** /etc/network/interfaces as the Debian 12 installer writes it for one DHCP interface. */
export const debianInterfaces = `# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug ens3
iface ens3 inet dhcp
`;

/** What a fresh Debian 12 host with systemd answers, by command; a command not listed here must be given by the case. */
export const debianCommands: Values = {
	'uname -r': '6.1.0-28-amd64\n',
	// systemd-detect-virt prints "none" and exits 1 on bare metal; the probe's `|| true` keeps the exit 0.
	[containerProbe]: 'none\n',
	'[ -d /run/systemd/system ] && echo yes || echo no': 'yes\n',
	'command -v apt-get': '/usr/bin/apt-get\n',
	[installedPackagesProbe]: minbasePackages,
	'command -v udevadm': '/usr/bin/udevadm\n',
	'cat /proc/cmdline': fixture('cmdline/debian-12-proc-cmdline.txt'),
	'command -v update-grub || command -v grub2-mkconfig || command -v grub-mkconfig': '/usr/sbin/update-grub\n',
	'command -v grubby': {text: '', exitCode: 1},
	'stat -fc %T /sys/fs/cgroup': 'cgroup2fs\n',
	'cat /proc/cgroups': procCgroups,
	'ufw status 2>/dev/null | head -n 1': '',
	'firewall-cmd --state 2>/dev/null': {text: '', exitCode: 127},
	// Debian ships /etc/nftables.conf with `flush ruleset` but leaves nftables.service disabled.
	[nftablesFlushProbe]: '',
	[bootLoaderFact.kind === 'command' ? bootLoaderFact.command : 'boot']: 'none\n',
	// The kernel speaks IPv6, as Debian's does unless told not to; ip6tables has no rules yet.
	'[ -e /proc/net/if_inet6 ] && echo yes || echo no': 'yes\n',
	'ip6tables -w -S INPUT 2>/dev/null': '-P INPUT ACCEPT\n',
	'command -v ip6tables && command -v ip6tables-restore': '/usr/sbin/ip6tables\n/usr/sbin/ip6tables-restore\n',
	...Object.fromEntries(
		['WAYMARK-MESH', 'WAYMARK-MAAS', 'WAYMARK-TUNTAP', 'WAYMARK-UWSGI-CLUSTER'].map(chain => [`ip6tables -w -S ${chain} 2>/dev/null`, {text: '', exitCode: 1}]),
	),
	'command -v authselect && authselect current 2>/dev/null | head -n 1': {text: '', exitCode: 1},
	'getent passwd root && getent group root': 'root:x:0:0:root:/root:/bin/bash\nroot:x:0:\n',
};

/** The OS-owned files, byte for byte from Debian 12; every other file is missing until a step writes it. */
export const debianFiles: Values = {
	'/etc/fstab': fixture('fstab/debian-12-installer-fstab'),
	'/etc/ssh/sshd_config': fixture('sshd/debian-12-sshd_config'),
	'/etc/nsswitch.conf': fixture('nsswitch/debian-12-nsswitch.conf'),
	'/etc/default/grub': fixture('grub/debian-12-default-grub'),
	'/etc/pam.d/sshd': fixture('pam/debian-12-sshd'),
	'/etc/network/interfaces': debianInterfaces,
	'/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
};

/** The fact a target returns for this request and value. */
export function factOf(request: FactRequest, value: Value): Fact {
	const key = request.key;
	if (value === null) {
		return {key, exists: false, text: '', exitCode: 1};
	}

	if (request.kind === 'dir') {
		return {key, exists: true, text: '', exitCode: 0};
	}

	if (typeof value === 'string') {
		return {key, exists: true, text: value, exitCode: 0, ...(request.kind === 'file' ? {mode: 0o644} : {})};
	}

	if ('mode' in value) {
		return {key, exists: true, text: value.text, exitCode: 0, mode: value.mode};
	}

	return {key, exists: true, text: value.text, exitCode: value.exitCode};
}

/** A file action's new text in this plan: for facts that read a written file through a command. */
export function written(plan: Plan, path: string): string {
	const action = plan.actions.find((each): each is FileAction => each.kind === 'file' && each.path === path);
	if (!action) {
		throw new Error(`the plan writes no ${path}`);
	}

	return action.after;
}

/** A dpkg-query listing with packages added as apt installs them: [name, what it provides] or a bare name. */
export function withPackages(listing: string, ...packages: ReadonlyArray<string | readonly [string, string]>): string {
	const lines = packages.map(each => (typeof each === 'string' ? `ii \t${each}\t` : `ii \t${each[0]}\t${each[1]}`));
	return `${listing}${lines.join('\n')}\n`;
}

const builtinChains = {filter: ['INPUT', 'FORWARD', 'OUTPUT'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']} as const;

/** What ip6tables shows once a chain step ran: the rules that name no IPv4 address, jumped to from INPUT, saved to rules.v6. */
export function ipv6After(rules: readonly string[], jump: string): Values {
	const rules6 = ipv6Rules(rules);
	return rules6.length === 0 ? {} : {chain6: `${rules6.join('\n')}\n`, input6: `-P INPUT ACCEPT\n${jump}\n`, saved6: iptablesSave({filter: [...rules6, jump]})};
}

/** What `iptables-save` (1.8.9, nf_tables) writes to rules.v4: per table its chains, then its rules in -S form. */
export function iptablesSave(tables: Partial<Record<keyof typeof builtinChains, readonly string[]>>): string {
	const stamp = 'Tue Jan 14 10:00:00 2025';
	const blocks = (Object.keys(builtinChains) as Array<keyof typeof builtinChains>)
		.filter(table => tables[table] !== undefined)
		.sort((first, second) => (first === 'nat' ? -1 : second === 'nat' ? 1 : 0))
		.map(table => {
			const rules = tables[table] ?? [];
			const own = rules.filter(rule => rule.startsWith('-N ')).map(rule => `:${rule.slice(3)} - [0:0]`);
			return [
				`# Generated by iptables-save v1.8.9 (nf_tables) on ${stamp}`,
				`*${table}`,
				...builtinChains[table].map(chain => `:${chain} ACCEPT [0:0]`),
				...own,
				...rules.filter(rule => rule.startsWith('-A ')),
				'COMMIT',
				`# Completed on ${stamp}`,
			].join('\n');
		});
	return `${blocks.join('\n')}\n`;
}

/** `sshd -T` of Debian 12's defaults with these settings in effect (sshd prints keys in lower case). */
export function sshdEffective(settings: Readonly<Record<string, string>>): string {
	const wanted = new Map(Object.entries(settings).map(([key, value]) => [key.toLowerCase(), value]));
	const lines = fixture('sshd/debian-12-sshd-T.txt')
		.split('\n')
		.filter(Boolean)
		.map(line => {
			const key = line.split(' ')[0]!;
			return wanted.has(key) ? `${key} ${wanted.get(key)!}` : line;
		});
	const missing = [...wanted].filter(([key]) => !lines.some(line => line.startsWith(`${key} `))).map(([key, value]) => `${key} ${value}`);
	return `${[...lines, ...missing].join('\n')}\n`;
}

/** `systemctl is-enabled` / `is-active` of a unit that does not exist yet: nothing on stdout, a failing exit. */
export const noUnit = {text: '', exitCode: 1} as const;
