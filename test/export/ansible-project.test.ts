// The Ansible project a guide exports, as data: lockout steps inside the guard (prove, arm, apply, prove afresh,
// disarm; restore on failure), handlers named per step, steps without an Ansible form said in the play and the
// report, key material only as vault lookups, and the same project from the same answers.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parse} from 'yaml';
import {armScript, disarmScript} from '../../source/engine/guard-scripts.js';
import {resolveAnswers} from '../../source/engine/params.js';
import type {Step, Wizard} from '../../source/engine/types.js';
import {ansibleProject} from '../../source/export/ansible-project.js';
import {inventoryFromBindings} from '../../source/export/export-command.js';
import {uwsgiNode} from '../../wizards/uwsgi-node/index.js';
import {ioSchedulerRule} from '../../wizards/uwsgi-node/io-scheduler.js';

const base: Omit<Step, 'id' | 'title'> = {why: 'Because.', role: 'server', facts: () => [], plan: () => ({actions: [], notes: []})};
const guide: Wizard = {
	id: 'demo',
	title: 'Demo',
	guide: 'demo.md',
	summary: 'A demo.',
	roles: ['server'],
	params: [],
	steps: [
		{
			...base,
			id: 'sshd',
			title: 'Harden sshd',
			risk: 'lockout',
			guard: () => ({restore: 'systemctl reload ssh'}),
			ansible: () => ({
				tasks: [{name: 'The drop-in', 'ansible.builtin.copy': {src: 'files/sshd/x.conf', dest: '/etc/ssh/sshd_config.d/x.conf'}, notify: 'Reload sshd'}],
				handlers: [{name: 'Reload sshd', 'ansible.builtin.shell': 'systemctl reload ssh', changed_when: true}],
				files: {'x.conf': 'PasswordAuthentication no\n'},
				guarded: ['/etc/ssh/sshd_config.d/x.conf'],
			}),
		},
		{
			...base,
			id: 'udev',
			title: 'A udev rule',
			ansible: () => ({
				tasks: [{name: 'The rule', 'ansible.builtin.copy': {src: 'files/udev/r', dest: '/etc/udev/rules.d/r'}, notify: 'Reload udev'}],
				handlers: [{name: 'Reload udev', 'ansible.builtin.shell': 'udevadm control --reload', changed_when: true}],
				gaps: ['containers get the rule too'],
			}),
		},
		{...base, id: 'plain', title: 'Only in Waymark'},
	],
};

function project(wizard: Wizard, answers: Record<string, unknown> = {}) {
	const resolved = resolveAnswers(wizard, answers);
	assert.deepEqual(resolved.errors, []);
	return ansibleProject(wizard, {answers: resolved.answers, bindings: {}, guardSeconds: 120});
}

function playbook(
	files: readonly {path: string; content: string}[],
): Array<{hosts: string; tasks: Array<Record<string, unknown>>; handlers?: Array<Record<string, unknown>>}> {
	return parse(files.find(file => file.path === 'site.yml')?.content ?? '') as never;
}

test('a lockout step: a fresh login proven, the rollback armed with the same script Waymark runs, applied and proven afresh in a block that restores on failure', () => {
	const {files} = project(guide);
	const [play] = playbook(files);
	// The play reads the host's platform first, as Waymark's steps do.
	assert.deepEqual(
		play?.tasks.slice(0, 2).map(task => task['name']),
		['[waymark] What this host is: container, kernel, systemd (read as Waymark reads it)', '[waymark] Remember what this host is'],
	);
	const tasks = play?.tasks.slice(2) ?? [];
	const names = tasks.map(task => task['name']);
	assert.deepEqual(names.slice(0, 4), [
		'[sshd] Drop the connection (before the change)',
		'[sshd] A fresh login works (before the change)',
		'[sshd] Arm the rollback that restores /etc/ssh/sshd_config.d/x.conf by itself after 120 s',
		'[sshd] Apply, then prove a fresh login before keeping it',
	]);
	const arm = tasks[2] as {'ansible.builtin.command': {argv: string[]}};
	assert.deepEqual(arm['ansible.builtin.command'].argv, [
		'/bin/sh',
		'-c',
		armScript({id: 'ansible-demo-sshd', files: [{path: '/etc/ssh/sshd_config.d/x.conf'}], guard: {restore: 'systemctl reload ssh'}, seconds: 120}),
	]);
	const block = tasks[3] as {block: Array<Record<string, unknown>>; rescue: Array<Record<string, unknown>>};
	assert.deepEqual(
		block.block.map(task => task['name']),
		[
			'[sshd] The drop-in',
			'[sshd] Reload sshd',
			'[sshd] Drop the connection (after the change)',
			'[sshd] A fresh login works (after the change)',
			'[sshd] Keep the change (disarm the rollback)',
		],
	);
	// Inside the guard the reload runs before the proof, only when the file changed; never left for the play's end.
	assert.equal(block.block[1]?.['when'], '(waymark_sshd_0 is changed)');
	assert.equal(block.block[0]?.['notify'], undefined);
	assert.deepEqual((block.block[4]?.['ansible.builtin.command'] as {argv: string[]} | undefined)?.argv[2], disarmScript('ansible-demo-sshd'));
	assert.deepEqual(
		block.rescue.map(task => task['name']),
		['[sshd] Restore the previous state now', '[sshd] Failed, and rolled back'],
	);
	assert.equal(
		play?.handlers?.some(handler => String(handler['name']).startsWith('[sshd]')),
		false,
	);
});

test('other steps: handlers named per step and notified by that name; a gap and a step without an Ansible form are said in the play and the report', () => {
	const {files, report} = project(guide);
	const [play] = playbook(files);
	const rule = play?.tasks.find(task => task['name'] === '[udev] The rule');
	assert.equal(rule?.['notify'], '[udev] Reload udev');
	assert.deepEqual(
		play?.handlers?.map(handler => handler['name']),
		['[udev] Reload udev'],
	);
	assert.ok(play?.tasks.some(task => task['name'] === '[udev] Not exported: containers get the rule too'));
	const plain = play?.tasks.find(task => task['name'] === '[plain] Not exported: Only in Waymark') as {'ansible.builtin.debug': {msg: string}};
	assert.match(plain['ansible.builtin.debug'].msg, /waymark run demo --only plain/);
	assert.deepEqual(
		report.map(row => [row.stepId, row.status]),
		[
			['sshd', 'exported'],
			['udev', 'partly'],
			['plain', 'not exported'],
		],
	);
	assert.equal(files.find(file => file.path === 'files/sshd/x.conf')?.content, 'PasswordAuthentication no\n');
	// The why of each step is a comment above its first task.
	assert.match(files.find(file => file.path === 'site.yml')?.content ?? '', /# udev: Because\.\n\s+- name: "\[udev\] The rule"/);
});

test('uwsgi-node: the same bytes as the step writes, key material only as a vault lookup kept out of the log, and the same project twice', () => {
	const answers = {publicIp: '192.0.2.10', apiDomain: 'node1.example.test', vault: '/srv/vault'};
	const first = project(uwsgiNode, answers);
	assert.deepEqual(project(uwsgiNode, answers), first);
	assert.equal(first.files.find(file => file.path === 'files/io-scheduler/60-iosched.rules')?.content, ioSchedulerRule('uwsgi-node', 'bfq'));
	const [play] = playbook(first.files);
	const key = play?.tasks.find(task => String(task['name']).startsWith('[uwsgi-ssl] The key')) as Record<string, unknown> & {
		'ansible.builtin.copy': Record<string, string>;
	};
	assert.equal(key['no_log'], true);
	assert.equal(key['ansible.builtin.copy']['mode'], '0600');
	assert.match(
		key['ansible.builtin.copy']['content'] ?? '',
		/^\{\{ lookup\('ansible\.builtin\.file', "\/srv\/vault\/uwsgi-node\/tls-node1\.example\.test\/key-and-certificate\.pem", rstrip=False\)/,
	);
	// Where Waymark skips a step (a container has no disks or scheduler of its own), Ansible skips its tasks too.
	const rule = play?.tasks.find(task => String(task['name']).startsWith('[io-scheduler] The udev rule'));
	assert.equal(rule?.['when'], 'not waymark_container and waymark_kernel_major >= 5');
	const vars = parse(first.files.find(file => file.path === 'group_vars/all.yml')?.content ?? '') as Record<string, unknown>;
	assert.equal(vars['publicIp'], '192.0.2.10');
	assert.equal(first.files.find(file => file.path === 'inventory.ini')?.content.includes('[node]'), true);
});

test('carrying secrets: each vault lookup becomes one variable per vault file, loaded from vars/vault.yml by every play', () => {
	const answers = {publicIp: '192.0.2.10', apiDomain: 'node1.example.test', vault: '/srv/vault'};
	const resolved = resolveAnswers(uwsgiNode, answers);
	const carried = ansibleProject(uwsgiNode, {answers: resolved.answers, bindings: {}, guardSeconds: 120, carrySecrets: true});
	assert.deepEqual(carried.carried, [{variable: 'waymark_vault_0', path: '/srv/vault/uwsgi-node/tls-node1.example.test/key-and-certificate.pem'}]);
	const site = carried.files.find(file => file.path === 'site.yml')?.content ?? '';
	assert.doesNotMatch(site, /lookup\(/);
	assert.equal(site.match(/waymark_vault_0 \| regex_replace/g)?.length, 2);
	const [play] = playbook(carried.files);
	assert.deepEqual((play as unknown as {vars_files: string[]}).vars_files, ['vars/vault.yml']);
	// Without it, nothing is carried and the tasks read the vault on the controller.
	assert.deepEqual(project(uwsgiNode, answers).carried, []);
});

test('--target bindings become the inventory: one group per role, user and port as Ansible names them', () => {
	assert.equal(
		inventoryFromBindings({webserver: ['ssh:root@web1:2222'], dbserver: ['ssh:db1', 'ssh:db2'], hypervisor: ['local']}),
		[
			'# From the --target bindings of the export.',
			'[webserver]',
			'web1 ansible_user=root ansible_port=2222',
			'',
			'[dbserver]',
			'db1',
			'db2',
			'',
			'[hypervisor]',
			'# local: not an ssh host (use ansible_connection=local for this machine)',
			'',
		].join('\n'),
	);
	assert.equal(inventoryFromBindings({}), undefined);
});
