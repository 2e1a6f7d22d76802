// Guides, runs and check reports as the CLI would hand them to the app.
import type {CheckReport, RunSummary, WizardSummary} from '../../source/engine/channel.js';
import type {Platform} from '../../source/engine/preflight.js';
import type {EngineEvent, ShownPlan} from '../../source/engine/types.js';

export const nodeGuide: WizardSummary = {
	id: 'uwsgi-node',
	title: 'uWSGI.it node',
	summary: 'Turns a Debian host into a uWSGI.it hosting node.',
	roles: ['server'],
	params: [
		{name: 'node_ip', type: 'ipv4', help: 'the public address of this node'},
		{name: 'ssh_port', type: 'port', help: 'the port sshd listens on', default: '22'},
		{name: 'scheduler', type: 'enum', help: 'the I/O scheduler', choices: ['deadline', 'noop'], default: 'deadline'},
		{name: 'quota', type: 'boolean', help: 'enable disk quotas', default: true},
		{name: 'api_key', type: 'secret', help: 'the API key', optional: true},
	],
	steps: [
		{id: 'elevator', title: 'I/O scheduler', why: 'The guide sets elevator=deadline on the kernel command line.', role: 'server', risk: 'reboot'},
		{id: 'packages', title: 'Packages', why: 'Installs uwsgi and quota tools.', role: 'server'},
		{id: 'sshd', title: 'Harden sshd', why: 'Keys only, no root password login.', role: 'server', risk: 'lockout'},
	],
};

export const vpnGuide: WizardSummary = {
	id: 'peervpn',
	title: 'PeerVPN mesh',
	summary: 'Joins nodes into a PeerVPN network.',
	roles: ['node', 'controller'],
	params: [],
	steps: [{id: 'install', title: 'Install PeerVPN', why: 'Builds peervpn.', role: 'node'}],
};

export const savedRuns: RunSummary[] = [
	{id: 'r7', guide: 'uwsgi-node', targets: 'ssh:node1', status: 'interrupted', lastStep: 'Harden sshd', done: 2, total: 3, updated: '2025-05-01 10:00'},
	{id: 'r6', guide: 'peervpn', targets: 'local', status: 'done', lastStep: 'Install PeerVPN', done: 1, total: 1, updated: '2025-04-30 09:00'},
];

export const sshdPlan: ShownPlan = {
	notes: ['sshd_config has an Include: using a drop-in'],
	items: [
		{
			kind: 'file',
			path: '/etc/ssh/sshd_config.d/50-waymark.conf',
			diff: [
				'--- /dev/null',
				'+++ b/etc/ssh/sshd_config.d/50-waymark.conf',
				'@@ -0,0 +1,2 @@',
				'+PasswordAuthentication no',
				'+PermitRootLogin prohibit-password',
			].join('\n'),
			secret: false,
			created: true,
		},
		{kind: 'command', title: 'Reload sshd', script: 'systemctl reload ssh', deferred: false},
	],
};

/** The first events of a three-step run, up to the start of the third step. */
export function runUpToSshd(): EngineEvent[] {
	return [
		{
			type: 'run-start',
			runId: 'r1',
			wizard: 'uwsgi-node',
			resumed: false,
			steps: [
				{stepId: 'elevator', target: 'ssh:node1', title: 'I/O scheduler', status: 'pending'},
				{stepId: 'packages', target: 'ssh:node1', title: 'Packages', status: 'pending'},
				{stepId: 'sshd', target: 'ssh:node1', title: 'Harden sshd', status: 'pending'},
			],
		},
		{type: 'step-start', stepId: 'elevator', target: 'ssh:node1', title: 'I/O scheduler', why: 'Sets the scheduler.'},
		{type: 'step-end', stepId: 'elevator', target: 'ssh:node1', status: 'ok', message: 'udev rule already in place'},
		{type: 'step-start', stepId: 'packages', target: 'ssh:node1', title: 'Packages', why: 'Installs uwsgi.'},
		{type: 'output', stepId: 'packages', target: 'ssh:node1', lines: ['Reading package lists...']},
		{type: 'step-end', stepId: 'packages', target: 'ssh:node1', status: 'changed', message: '2 packages installed'},
		{type: 'step-start', stepId: 'sshd', target: 'ssh:node1', title: 'Harden sshd', why: 'Keys only, no root password login.'},
		{type: 'plan', stepId: 'sshd', target: 'ssh:node1', plan: sshdPlan},
	];
}

/** A preflight's platform as the engine sends it. */
export const preflight: Readonly<Record<string, string>> = {
	distribution: 'Debian GNU/Linux 12 (bookworm)',
	kernel: '6.1.0-18-amd64',
	init: 'systemd',
	firewall: 'iptables-nft',
};

/** Checks of the sshd step: one passes, one warns, one fails. */
export const sshdChecks: EngineEvent[] = [
	{type: 'check', stepId: 'sshd', target: 'ssh:node1', check: {id: 'sshd:login', title: 'Key login', status: 'pass', evidence: 'exit 0', reason: ''}},
	{
		type: 'check',
		stepId: 'sshd',
		target: 'ssh:node1',
		check: {id: 'sshd:cert', title: 'Certificate expiry', status: 'warn', evidence: '/etc/uwsgi/node.pem expires in 12 days', reason: ''},
	},
	{
		type: 'check',
		stepId: 'sshd',
		target: 'ssh:node1',
		check: {id: 'sshd:password', title: 'Password logins', status: 'fail', evidence: 'PasswordAuthentication yes in sshd_config.d/60-cloud.conf', reason: ''},
	},
];

const debian: Platform = {
	distribution: 'Debian GNU/Linux 12 (bookworm)',
	kernel: '6.1.0-18-amd64',
	init: 'systemd',
	cgroup: 'cgroup2fs',
	container: 'none',
	bootloader: 'grub',
	sshdLayout: 'include',
	firewall: 'iptables-nft',
	openvpn: 'none',
};

/** Two hosts: node1 half broken (a pass, a warn, two fails), node2 in a container with nothing to fix. */
export const brokenReport: CheckReport = {
	findings: [
		{
			target: 'ssh:node1',
			stepId: 'elevator',
			stepTitle: 'I/O scheduler',
			fix: 'elevator',
			check: {
				id: 'elevator:state',
				title: 'I/O scheduler',
				status: 'fail',
				evidence: 'would change: create /etc/udev/rules.d/60-scheduler.rules',
				reason: 'The guide sets elevator=deadline on the kernel command line.',
			},
		},
		{
			target: 'ssh:node1',
			stepId: 'packages',
			stepTitle: 'Packages',
			check: {id: 'packages:state', title: 'Packages', status: 'pass', evidence: 'uwsgi and quota installed', reason: 'Nothing would change.'},
		},
		{
			target: 'ssh:node1',
			stepId: 'packages',
			stepTitle: 'Packages',
			fix: 'packages',
			check: {
				id: 'packages:cert',
				title: 'Certificate expiry',
				status: 'warn',
				evidence: '/etc/uwsgi/node.pem expires in 12 days',
				reason: 'Clients refuse an expired certificate.',
			},
		},
		{
			target: 'ssh:node1',
			stepId: 'sshd',
			stepTitle: 'Harden sshd',
			fix: 'sshd',
			check: {
				id: 'sshd:password',
				title: 'Password logins',
				status: 'fail',
				evidence: 'PasswordAuthentication yes in sshd_config.d/60-cloud.conf',
				reason: 'A later drop-in turns password logins back on.',
			},
		},
		{
			target: 'ssh:node2',
			stepId: 'elevator',
			stepTitle: 'I/O scheduler',
			check: {
				id: 'elevator:state',
				title: 'I/O scheduler',
				status: 'n/a',
				evidence: 'container (lxc)',
				reason: 'The machine that runs the container owns the scheduler.',
			},
		},
		{
			target: 'ssh:node2',
			stepId: 'sshd',
			stepTitle: 'Harden sshd',
			check: {id: 'sshd:state', title: 'Harden sshd', status: 'pass', evidence: 'as wanted', reason: 'Nothing would change.'},
		},
	],
	// In the order the hosts answered, not the order of the findings.
	platforms: [
		{
			target: 'ssh:node2',
			platform: {...debian, distribution: 'Ubuntu 24.04 LTS', kernel: '6.8.0-31-generic', container: 'lxc', firewall: 'ufw'},
			differences: [],
		},
		{target: 'ssh:node1', platform: debian, differences: ['cgroup v2: no fstab cgroup line; limits go into systemd units.']},
	],
};

/** One host where every check passes. */
export const cleanReport: CheckReport = {
	findings: brokenReport.findings.filter(finding => finding.target === 'ssh:node2'),
	platforms: brokenReport.platforms.filter(host => host.target === 'ssh:node2'),
};
