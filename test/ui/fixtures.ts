// Guides and runs as the CLI would hand them to the app.
import type {RunSummary, WizardSummary} from '../../source/engine/channel.js';
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
			diff: ['--- /dev/null', '+++ b/etc/ssh/sshd_config.d/50-waymark.conf', '@@ -0,0 +1,2 @@', '+PasswordAuthentication no', '+PermitRootLogin prohibit-password'].join('\n'),
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
