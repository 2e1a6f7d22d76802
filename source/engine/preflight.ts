// Pre-flight: what the host really is, read in the same round trip as the steps' facts, and what that changes.
import type {FactRequest, Facts} from './types.js';

/** Container detection without systemd too: the markers docker, podman and LXC (container= in pid 1's environment) leave. */
export const containerProbe = `if command -v systemd-detect-virt >/dev/null 2>&1; then systemd-detect-virt --container || true; elif [ -e /.dockerenv ]; then echo docker; elif [ -e /run/.containerenv ]; then echo podman; elif grep -qa 'container=' /proc/1/environ 2>/dev/null; then echo container; else echo none; fi`;

/** systemd runs as the init system: its runtime directory exists (a package being installed is not enough). */
export const systemdProbe = '[ -d /run/systemd/system ] && echo yes || echo no';

export const preflightPrefix = 'preflight:';

export const preflightFacts: readonly FactRequest[] = [
	{kind: 'file', key: 'os-release', path: '/etc/os-release'},
	{kind: 'command', key: 'kernel', command: 'uname -r'},
	// A minimal image has no ps: pid 1's name comes from /proc.
	{kind: 'command', key: 'init', command: `[ "$(${systemdProbe})" = yes ] && echo systemd || cat /proc/1/comm 2>/dev/null || echo unknown`},
	{kind: 'command', key: 'cgroup', command: 'stat -fc %T /sys/fs/cgroup'},
	{kind: 'command', key: 'container', command: containerProbe},
	{
		kind: 'command',
		key: 'bootloader',
		command:
			'if [ -e /etc/default/grub ]; then echo grub; elif [ -e /etc/kernel/cmdline ]; then echo systemd-boot; elif [ -e /boot/firmware/cmdline.txt ]; then echo raspberry-pi; else echo none; fi',
	},
	{kind: 'command', key: 'sshd-include', command: "grep -Eiq '^[[:space:]]*Include[[:space:]]' /etc/ssh/sshd_config && echo include || echo no-include"},
	{
		kind: 'command',
		key: 'firewall',
		command:
			'if ufw status 2>/dev/null | grep -q \'Status: active\'; then echo ufw; elif [ "$(firewall-cmd --state 2>/dev/null)" = running ]; then echo firewalld; elif iptables -V 2>/dev/null | grep -q nf_tables; then echo iptables-nft; elif command -v iptables >/dev/null 2>&1; then echo iptables-legacy; else echo none; fi',
	},
	{kind: 'command', key: 'openvpn', command: 'openvpn --version 2>/dev/null | head -n 1'},
];

export interface Platform {
	readonly distribution: string;
	readonly kernel: string;
	readonly init: string;
	readonly cgroup: string;
	readonly container: string;
	readonly bootloader: string;
	readonly sshdLayout: string;
	readonly firewall: string;
	readonly openvpn: string;
}

function value(facts: Facts, key: string): string {
	const fact = facts.get(`${preflightPrefix}${key}`);
	if (!fact || fact.unavailable) {
		return 'unknown (offline)';
	}

	return fact.text.trim().split('\n').at(-1)?.trim() || 'none';
}

/** Reads the platform from facts fetched with `preflightFacts` (keys prefixed by `preflightPrefix`). */
export function readPlatform(facts: Facts): Platform {
	const release = facts.get(`${preflightPrefix}os-release`);
	const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release?.text ?? '')?.[1];
	return {
		distribution: pretty ?? (release?.exists ? 'unknown' : 'no /etc/os-release'),
		kernel: value(facts, 'kernel'),
		init: value(facts, 'init'),
		cgroup: value(facts, 'cgroup'),
		container: value(facts, 'container'),
		bootloader: value(facts, 'bootloader'),
		sshdLayout: value(facts, 'sshd-include'),
		firewall: value(facts, 'firewall'),
		openvpn: value(facts, 'openvpn'),
	};
}

/** Where this host differs from what the 2013–2017 guides assumed, in the operator's words. */
export function differences(platform: Platform): string[] {
	const notes: string[] = [];
	const major = Number(/^(\d+)/.exec(platform.kernel)?.[1] ?? Number.NaN);
	if (platform.container !== 'none' && !platform.container.startsWith('unknown')) {
		notes.push(
			`Container (${platform.container}): kernel command line, I/O scheduler and cgroups belong to the machine that runs it, so those steps change nothing here.`,
		);
	} else if (major >= 5) {
		notes.push(`Kernel ${platform.kernel}: CFQ and elevator= are gone (blk-mq); the fair scheduler is set with a udev rule (bfq).`);
	}

	if (platform.cgroup === 'cgroup2fs') {
		notes.push('cgroup v2: no fstab cgroup line; limits go into systemd units.');
	}

	if (platform.sshdLayout === 'include') {
		notes.push('sshd_config includes sshd_config.d: settings go into a drop-in that sorts first, not at the end of sshd_config.');
	}

	if (platform.firewall === 'ufw' || platform.firewall === 'firewalld') {
		notes.push(`${platform.firewall} manages the firewall: raw iptables steps stop and say which ${platform.firewall} commands to use.`);
	} else if (platform.firewall === 'iptables-nft') {
		notes.push('iptables is the nf_tables variant: rules are checked with -C before they are added, and saved with netfilter-persistent.');
	}

	if (/OpenVPN 2\.[6-9]/.test(platform.openvpn)) {
		notes.push(
			`${platform.openvpn.split(' ').slice(0, 2).join(' ')}: static-key mode is deprecated; TLS with pinned fingerprints is offered instead, and every config names its cipher.`,
		);
	}

	if (platform.init !== 'systemd' && !platform.init.startsWith('unknown')) {
		notes.push(`No systemd (pid 1 is ${platform.init}): services are reloaded by signal, units are written for the next boot with systemd.`);
	}

	return notes;
}
