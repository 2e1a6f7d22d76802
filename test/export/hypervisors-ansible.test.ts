// The hypervisors guide's Ansible forms: the public key lines the export is given (never the private keys), the
// same bytes as the steps write, the MaaS-only firewall refusing the play's own connection as the step refuses it,
// and the optional steps saying they were not asked for.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parse} from 'yaml';
import {resolveAnswers} from '../../source/engine/params.js';
import type {StepContext} from '../../source/engine/types.js';
import {ansibleProject, playOrder} from '../../source/export/ansible-project.js';
import {foundationCronPath, foundationCronText} from '../../wizards/hypervisors/foundation-cron.js';
import {hypervisors, operatorKeySecret} from '../../wizards/hypervisors/index.js';
import {maasSiteText} from '../../wizards/hypervisors/maas-nginx.js';
import {relayMatchBlock} from '../../wizards/hypervisors/tunnel-relay.js';
import {tunnelKeySecret} from '../../wizards/hypervisors/tunnel-client.js';

const operatorLine = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPublicOnly+/x waymark-operator';
const tunnelLine = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITunnelKey waymark-tunnel';

function exported(extra: Record<string, unknown> = {}) {
	const resolved = resolveAnswers(hypervisors, {operatorUser: 'spike', maasAddress: '192.0.2.20', vault: '/srv/vault', ...extra});
	assert.deepEqual(resolved.errors, []);
	const project = ansibleProject(hypervisors, {
		answers: resolved.answers,
		bindings: {},
		guardSeconds: 120,
		publicParts: new Map([
			[operatorKeySecret, operatorLine],
			[tunnelKeySecret, tunnelLine],
		]),
	});
	const plays = parse(project.files.find(file => file.path === 'site.yml')!.content) as Array<{hosts: string; tasks: Array<Record<string, unknown>>}>;
	const tasks = (role: string) => {
		const flat = (list: Array<Record<string, unknown>>): Array<Record<string, unknown>> =>
			list.flatMap(task => (Array.isArray(task['block']) ? flat(task['block'] as Array<Record<string, unknown>>) : [task]));
		return flat(plays.find(play => play.hosts === role)!.tasks);
	};
	const ctx: StepContext = {answers: resolved.answers, target: {kind: 'ssh', label: 'x'}, bindings: {}, secrets: new Map()};
	return {project, tasks, ctx};
}

const byName = (tasks: Array<Record<string, unknown>>, start: string) => tasks.find(task => String(task['name']).startsWith(start));

test('the operator key and the tunnel key go in as their public lines, the tunnel one restricted to its forward', () => {
	const {tasks} = exported();
	const operator = byName(tasks('hypervisor'), '[operator-key-hypervisor] The key in') as {'ansible.builtin.lineinfile': Record<string, unknown>};
	assert.equal(operator['ansible.builtin.lineinfile']['line'], operatorLine);
	// The key's blob, its regex specials escaped: a line with the same key is replaced, whatever its options.
	assert.equal(operator['ansible.builtin.lineinfile']['regexp'], 'AAAAC3NzaC1lZDI1NTE5AAAAIPublicOnly\\+\\/x');
	assert.equal(operator['ansible.builtin.lineinfile']['mode'], '0600');
	const tunnel = byName(tasks('hypervisor'), '[tunnel-relay] The key in') as {'ansible.builtin.lineinfile': Record<string, unknown>};
	assert.equal(tunnel['ansible.builtin.lineinfile']['line'], `restrict,port-forwarding,permitlisten="127.0.0.1:44443" ${tunnelLine}`);
	const account = byName(tasks('hypervisor'), '[tunnel-relay] The account') as {'ansible.builtin.command': {argv: string[]}};
	assert.match(account['ansible.builtin.command'].argv[2]!, /useradd --system .*--shell \/usr\/sbin\/nologin/);
});

test('without the public lines (an export that could not make them), the key steps say so instead of guessing', () => {
	const resolved = resolveAnswers(hypervisors, {operatorUser: 'spike', maasAddress: '192.0.2.20'});
	const project = ansibleProject(hypervisors, {answers: resolved.answers, bindings: {}, guardSeconds: 120});
	const row = project.report.find(each => each.stepId === 'operator-key-webserver');
	assert.equal(row?.status, 'not exported');
	assert.match(row?.notes[0] ?? '', /waymark run hypervisors --only operator-key-webserver/);
});

test('files as the steps write them: the cron file, the MaaS site, the relay block; sudoers checked by visudo only when asked for', () => {
	const {project, ctx, tasks} = exported();
	const file = (path: string) => project.files.find(each => each.path === path)?.content;
	assert.equal(file('files/foundation-cron/foundation'), foundationCronText(ctx, 'hypervisors'));
	assert.equal(file('files/maas-nginx/cdpweather'), maasSiteText(ctx, 'hypervisors'));
	assert.match(file('files/tunnel-relay/50-waymark-tunnel.conf') ?? '', new RegExp(`\\n${relayMatchBlock(ctx).split('\n')[0]}\\n`));
	const cron = byName(tasks('hypervisor'), '[foundation-cron] /etc/cron.d/foundation,') as {'ansible.builtin.copy': Record<string, string>};
	assert.equal(cron['ansible.builtin.copy']['dest'], foundationCronPath);
	assert.equal(cron['ansible.builtin.copy']['mode'], '0644');
	assert.ok(byName(tasks('webserver'), '[sudo-webserver] No /etc/sudoers.d/waymark-spike'), 'sudoNopasswd off removes the drop-in');
	const nopasswd = exported({sudoNopasswd: true});
	const sudoers = byName(nopasswd.tasks('webserver'), '[sudo-webserver] sudo without a password') as {'ansible.builtin.copy': Record<string, string>};
	assert.equal(sudoers['ansible.builtin.copy']['validate'], 'visudo -cf %s');
	assert.equal(sudoers['ansible.builtin.copy']['mode'], '0440');
	assert.equal(
		nopasswd.project.files.find(each => each.path === 'files/sudo-webserver/sudoers')?.content.endsWith('spike ALL=(ALL:ALL) NOPASSWD: ALL\n'),
		true,
	);
});

test('the MaaS-only firewall refuses a play from an address it would drop, before the guard is armed', () => {
	const {tasks} = exported({adminSources: ['198.51.100.7']});
	const list = tasks('hypervisor');
	const refuse = list.findIndex(task => String(task['name']).startsWith('[maas-firewall] Refuse'));
	const arm = list.findIndex(task => /\[maas-firewall\].*(Arm|arm)/.test(String(task['name'])));
	assert.ok(refuse >= 0 && (arm < 0 || refuse < arm), 'the refusal comes first');
	assert.match(String(list[refuse]!['when']), /not in \['192\.0\.2\.20', '198\.51\.100\.7'\]$/);
});

test('optional steps left empty export as "not asked for"; asked for, they say to run them with Waymark', () => {
	const {project, tasks} = exported();
	assert.equal(project.report.find(each => each.stepId === 'lxc-move')?.status, 'exported');
	assert.ok(byName(tasks('hypervisor'), '[lxc-move] Nothing to do with these answers'));
	const asked = exported({dockerImage: 'app:1'});
	assert.match(asked.project.report.find(each => each.stepId === 'docker-image')?.notes[0] ?? '', /waymark run hypervisors --only docker-image/);
});

test('the tunnels: one unit per hypervisor named by the inventory, the key read from the vault; without hypervisors, not exported', () => {
	const resolved = resolveAnswers(hypervisors, {operatorUser: 'spike', maasAddress: '192.0.2.20', vault: '/srv/vault', tunnelEndpoints: ['10.0.0.5:2222']});
	const project = ansibleProject(hypervisors, {
		answers: resolved.answers,
		bindings: {hypervisor: [{kind: 'ssh', label: 'ssh:hv1'}]},
		guardSeconds: 120,
		publicParts: new Map([
			[operatorKeySecret, operatorLine],
			[tunnelKeySecret, tunnelLine],
		]),
	});
	const site = project.files.find(file => file.path === 'site.yml')!.content;
	assert.match(site, /systemctl restart autossh-tunnel@hv1\.service/);
	assert.match(site, /HostName 10\.0\.0\.5\n\s+Port 2222/);
	assert.match(
		site,
		/content: "\{\{ lookup\('ansible\.builtin\.file', \\"\/srv\/vault\/hypervisors\/tunnel\/id_ed25519\\", rstrip=False\) \}\}"\n\s+mode: "0600"/,
	);
	assert.match(site, /id_tunnel'\n(\s+\w+: .*\n)+?\s+notify: "\[tunnel-client\] Reload systemd/);
	assert.doesNotMatch(site, /PRIVATE KEY/);
	assert.equal(exported().project.report.find(each => each.stepId === 'tunnel-client')?.status, 'not exported');
});

test('plays run in the order the guide needs: the database and the hypervisors before the web server that logs in and dials them', () => {
	assert.deepEqual(playOrder(hypervisors), ['dbserver', 'hypervisor', 'webserver']);
});
