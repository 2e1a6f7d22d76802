// hypervisors steps as data: real files and command outputs in, plans and rendered files out, and convergence.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {getIniValue} from '../../source/edits/ini.js';
import {judge} from '../../source/engine/converge.js';
import {generateSshKey} from '../../source/keys/ssh-key.js';
import type {ParamValue, Plan, StepContext} from '../../source/engine/types.js';
import {hypervisors, operatorKeySecret} from '../../wizards/hypervisors/index.js';
import {aliasKeeper, proxyUnitTexts} from '../../wizards/hypervisors/container-proxy.js';
import {foundationCronText} from '../../wizards/hypervisors/foundation-cron.js';
import {nginxTestAndReload} from '../../wizards/common/nginx-service.js';
import {phpFpmRunningProbe, phpFpmState} from '../../wizards/hypervisors/php-fpm-settings.js';
import {memoryControllerOn} from '../../wizards/hypervisors/memory-cgroup.js';
import {progressFunction, withProgress} from '../../wizards/hypervisors/transfer-progress.js';
import {tunnelArgs, tunnelKeySecret, tunnelSshConfig, tunnelStates, tunnelStatesProbe, tunnelUnitText} from '../../wizards/hypervisors/tunnel-client.js';
import {unitStateProbe} from '../../wizards/hypervisors/service-running.js';
import {tunnelPeers} from '../../wizards/hypervisors/tunnel-peers.js';
import {relayKeyLine, relayMatchBlock} from '../../wizards/hypervisors/tunnel-relay.js';
import {publicKeyOf} from '../../wizards/hypervisors/vault-ssh-keys.js';
import {fixture} from '../edits/fixture.js';
import {findTool, requireTool, runSshd} from '../keys/real-tools.js';
import {context, facts, step, summary, type FactValues} from './step-harness.js';

const operatorKey = await generateSshKey({comment: 'x'});
const tunnelKey = await generateSshKey({comment: 'y'});
const tls = await hypervisors.secrets!.find(secret => secret.name === 'maas-tls')!.generate({maasHostname: 'maas.lab.test'});
const base = context(
	hypervisors,
	{operatorUser: 'spike', maasAddress: '192.0.2.3', vault: '/home/op/.waymark/vault'},
	{[operatorKeySecret]: operatorKey.privateKey, [tunnelKeySecret]: tunnelKey.privateKey, 'maas-tls': tls},
);
const ctx: StepContext = {
	...base,
	bindings: {
		webserver: [{kind: 'ssh', label: 'ssh:maas'}],
		dbserver: [{kind: 'ssh', label: 'ssh:maas'}],
		hypervisor: [
			{kind: 'ssh', label: 'ssh:hv2'},
			{kind: 'ssh', label: 'ssh:spike@192.0.2.30:2222'},
		],
	},
};
const on = (label: string): StepContext => ({...ctx, target: {kind: 'ssh', label}});
const withAnswers = (answers: Record<string, ParamValue>): StepContext => ({...ctx, answers: {...ctx.answers, ...answers}});

/** Applies a plan's file writes to the facts under the given keys, then plans again: a converged step plans nothing. */
function replan(id: string, stepCtx: StepContext, values: FactValues, plan: Plan, keyOfPath: Record<string, string>, extra: FactValues = {}): Plan {
	const next: FactValues = {...values, ...extra};
	for (const action of plan.actions) {
		if (action.kind === 'file' && keyOfPath[action.path]) {
			next[keyOfPath[action.path]!] = action.after;
		}
	}

	return step(hypervisors, id).plan(stepCtx, facts(next));
}

test("the operator key is read back from the private key made by Waymark, for ed25519 and the guide's rsa 4096", async () => {
	assert.equal(publicKeyOf(operatorKey.privateKey, 'x'), operatorKey.publicKey);
	const rsa = await generateSshKey({type: 'rsa', bits: 4096, comment: 'guide'});
	assert.equal(publicKeyOf(rsa.privateKey, 'guide'), rsa.publicKey);
	assert.match(rsa.publicKey, /^ssh-rsa /);
});

test('operator key: a missing account is created and the key added once; a present key is left alone', () => {
	const keyStep = step(hypervisors, 'operator-key-hypervisor');
	const plan = keyStep.plan(ctx, facts({passwd: {text: '', exitCode: 2}, keys: ''}));
	const [create, add] = summary(plan);
	assert.match(create![1], /useradd --create-home --shell \/bin\/bash spike/);
	assert.match(add![1], new RegExp(`grep -vF ${operatorKey.publicKey.split(' ')[1]!.replaceAll('+', '\\+')}`));
	assert.match(add![1], /install -d -m 700 -o spike/);
	assert.match(plan.notes[0]!, /ssh -i \/home\/op\/\.waymark\/vault\/hypervisors\/operator\/id_ed25519 spike@HOST/);
	const present = {
		passwd: 'spike:x:1000:1000::/home/spike:/bin/bash\n',
		keys: `ssh-ed25519 AAAAother other\n${operatorKey.publicKey.replace(/ x$/, ' waymark-operator')}\n`,
	};
	assert.deepEqual(keyStep.plan(ctx, facts(present)).actions, []);
});

test('sudo: group membership added, NOPASSWD only on request and checked by visudo; sudo -n true decides the check', () => {
	const sudo = step(hypervisors, 'sudo-webserver');
	const values: FactValues = {sudo: '/usr/bin/sudo\n', groups: 'spike\n', dropin: null, probe: {text: 'sudo: a password is required\n', exitCode: 1}};
	assert.deepEqual(summary(sudo.plan(ctx, facts(values))), [['command Add spike to the sudo group', 'usermod -aG sudo spike']]);
	const nopasswd = sudo.plan(withAnswers({sudoNopasswd: true}), facts({...values, groups: 'spike sudo\n'}));
	assert.equal(nopasswd.actions.length, 1);
	const file = nopasswd.actions[0]!;
	assert.ok(file.kind === 'file' && file.path === '/etc/sudoers.d/waymark-spike' && file.mode === 0o440 && file.validateCandidate === 'visudo -cf {}');
	assert.match(file.after, /^spike ALL=\(ALL:ALL\) NOPASSWD: ALL$/m);
	assert.equal(sudo.verify!(ctx, facts(values))[0]!.status, 'warn');
	assert.equal(sudo.verify!(ctx, facts({...values, probe: 'sudo-ok\n'}))[0]!.status, 'pass');
});

test("hypervisor packages: the guide's list, and a warning when iptables-persistent would remove ufw", () => {
	const packages = step(hypervisors, 'hypervisor-packages');
	const plan = packages.plan(ctx, facts({apt: '/usr/bin/apt-get\n', installed: 'ii \tgit\t\nii \tufw\t\n'}));
	assert.match(summary(plan)[0]![1], /apt-get -o DPkg::Lock::Timeout=300 install -y -q .* lxc bridge-utils iptables-persistent isc-dhcp-server autossh$/m);
	assert.ok(plan.notes.some(note => /REMOVES ufw/.test(note)));
	assert.ok(!packages.plan(ctx, facts({apt: '/usr/bin/apt-get\n', installed: 'ii \tgit\t\n'})).notes.some(note => /ufw/.test(note)));
});

test('database server: installed is not running; a stopped mariadb is started, and check fails while it is down', () => {
	const db = step(hypervisors, 'db-packages');
	assert.ok(db.facts(ctx).some(request => request.key === 'mariadb-state' && request.kind === 'command' && request.command === unitStateProbe('mariadb')));
	const installed = {apt: '/usr/bin/apt-get\n', installed: 'ii \tmariadb-server\t\nii \tmariadb-client\t\n'};
	const fresh = db.plan(ctx, facts({apt: '/usr/bin/apt-get\n', installed: '', 'mariadb-state': 'inactive\n'}));
	assert.deepEqual(
		summary(fresh).map(([what]) => what),
		['command apt-get install mariadb-server mariadb-client'],
	);
	assert.equal(judge(db, ctx, facts({...installed, 'mariadb-state': 'active\n'}), {live: true}).kind, 'ok');
	const stopped = facts({...installed, 'mariadb-state': 'failed\n'});
	const start = ['command Start mariadb (it is installed but not running)', 'systemctl enable mariadb\nsystemctl restart mariadb'];
	assert.deepEqual(summary(db.plan(ctx, stopped)), [start]);
	const [running] = db.verify!(ctx, stopped);
	assert.deepEqual([running?.id, running?.status, running?.evidence], ['mariadb-running', 'fail', 'systemctl is-active mariadb: failed']);
	// No systemd to ask: nothing started, nothing claimed.
	const bare = facts({...installed, 'mariadb-state': 'no-systemd\n'});
	assert.deepEqual(db.plan(ctx, bare).actions, []);
	assert.deepEqual(db.verify!(ctx, bare), []);
	const probe = spawnSync('sh', ['-c', unitStateProbe('mariadb').replace('/run/systemd/system', '/nonexistent-waymark')], {encoding: 'utf8'});
	assert.equal(probe.stdout, 'no-systemd\n');
});

test('hypervisor packages: an isc-dhcp-server that cannot start unconfigured is a warning in check, never started or failed', () => {
	const packages = step(hypervisors, 'hypervisor-packages');
	const installed = `ii \t${['lxc', 'git', 'bridge-utils', 'iptables-persistent', 'isc-dhcp-server', 'autossh'].join('\t\nii \t')}\t\n`;
	const down = facts({apt: '/usr/bin/apt-get\n', installed, 'isc-dhcp-server-state': 'failed\n'});
	assert.deepEqual(packages.plan(ctx, down).actions, []);
	const verdict = judge(packages, ctx, down, {live: true});
	assert.equal(verdict.kind, 'ok');
	const [warning] = verdict.kind === 'ok' ? verdict.checks : [];
	assert.deepEqual([warning?.id, warning?.status, warning?.evidence], ['isc-dhcp-server-running', 'warn', 'systemctl is-active isc-dhcp-server: failed']);
	assert.match(warning?.reason ?? '', /subnet for their bridge in \/etc\/dhcp\/dhcpd\.conf/);
	assert.equal(packages.verify!(ctx, facts({apt: '/usr/bin/apt-get\n', installed, 'isc-dhcp-server-state': 'active\n'}))[0]?.status, 'pass');
	// Left out of hypervisorPackages: nothing is said about it.
	const without = withAnswers({hypervisorPackages: ['lxc', 'git']});
	const few = facts({apt: '/usr/bin/apt-get\n', installed: 'ii \tlxc\t\nii \tgit\t\n', 'isc-dhcp-server-state': 'inactive\n'});
	assert.deepEqual(packages.verify!(without, few), []);
});

test('memory cgroup: cgroup_enable=memory only when /proc/cgroups says memory is off, and it converges', () => {
	const memory = step(hypervisors, 'memory-cgroup');
	const cgroupsOff = '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t2\t1\t1\nmemory\t0\t1\t0\n';
	assert.equal(memoryControllerOn(cgroupsOff), false);
	const values: FactValues = {
		kernel: '3.16.0-4-amd64',
		container: 'none',
		systemd: 'yes',
		cgroups: cgroupsOff,
		grub: fixture('grub/debian-12-default-grub'),
		dropin: null,
	};
	const plan = memory.plan(ctx, facts(values));
	assert.match(summary(plan)[0]![1], /^GRUB_CMDLINE_LINUX="\$GRUB_CMDLINE_LINUX cgroup_enable=memory swapaccount=1"$/m);
	assert.deepEqual(replan('memory-cgroup', ctx, values, plan, {'/etc/default/grub.d/99-waymark-hypervisors.cfg': 'dropin'}).actions, []);
	assert.deepEqual(
		memory.plan(ctx, facts({...values, kernel: '6.1.0-28-amd64', cgroups: cgroupsOff.replace('memory\t0\t1\t0', 'memory\t0\t80\t1')})).actions,
		[],
	);
	// In a container the memory controller is the outer machine's: skipped with the reason, never a silent ok.
	const contained = facts({...values, container: 'systemd-nspawn', cgroups: cgroupsOff});
	assert.deepEqual(memory.plan(ctx, contained).actions, []);
	assert.equal(memory.plan(ctx, contained).unmet?.status, 'skipped');
	const verdict = judge(memory, ctx, contained, {live: true});
	assert.equal(verdict.kind, 'skipped');
	assert.match(verdict.kind === 'skipped' ? verdict.message : '', /container \(systemd-nspawn\).*machine that runs it/);
});

test("cron: the guide's four jobs in /etc/cron.d/foundation with the user field and URL_MAAS through the tunnel", () => {
	assert.equal(
		foundationCronText(ctx, 'hypervisors'),
		[
			'# Written by Waymark (hypervisors, step foundation-cron). Edit the answers and run the wizard again rather than this file.',
			'# The hypervisor side of the foundation MaaS: push state, apply container changes, fetch new ones, update the engine.',
			'SHELL=/bin/bash',
			'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
			"URL_MAAS='-k https://127.0.0.1:44443'",
			'',
			'*/5 * * * * root /opt/foundation/scripts/update_hypervisor.sh > /dev/null',
			'*/5 * * * * root /opt/foundation/scripts/update_containers.sh > /dev/null',
			'*/5 * * * * root /opt/foundation/scripts/add_containers.sh > /dev/null',
			'0 0 * * * root /opt/foundation/scripts/update_git.sh > /dev/null',
			'',
		].join('\n'),
	);
	const cron = step(hypervisors, 'foundation-cron');
	const plan = cron.plan(ctx, facts({'/etc/cron.d/foundation': null}));
	assert.equal(summary(plan)[0]![0], 'file /etc/cron.d/foundation');
	assert.deepEqual(replan('foundation-cron', ctx, {}, plan, {'/etc/cron.d/foundation': '/etc/cron.d/foundation'}).actions, []);
});

test('firewall: tcp/4443 accepted from the MaaS and dropped for the rest, tested, saved, never duplicated', () => {
	const firewall = step(hypervisors, 'maas-firewall');
	assert.equal(firewall.risk, 'lockout');
	const empty: FactValues = {
		iptables: '/usr/sbin/iptables\n/usr/sbin/iptables-restore\n',
		chain: {text: '', exitCode: 1},
		input: '-P INPUT ACCEPT\n',
		ufw: '',
		firewalld: {text: '', exitCode: 1},
		saved: null,
	};
	const [load, save] = summary(firewall.plan(ctx, facts(empty)));
	assert.match(load![1], /-A WAYMARK-MAAS -s 192\.0\.2\.3\/32 -p tcp -m tcp --dport 4443 -j ACCEPT\n-A WAYMARK-MAAS -p tcp -m tcp --dport 4443 -j DROP/);
	assert.match(load![1], /iptables-restore -w --noflush --test/);
	assert.match(load![1], /iptables -w -C INPUT -p tcp --dport 4443 -j WAYMARK-MAAS 2>\/dev\/null \|\| iptables -w -I INPUT 1/);
	assert.match(save![1], /netfilter-persistent save/);
	const chain = [
		'-N WAYMARK-MAAS',
		'-A WAYMARK-MAAS -s 192.0.2.3/32 -p tcp -m tcp --dport 4443 -j ACCEPT',
		'-A WAYMARK-MAAS -p tcp -m tcp --dport 4443 -j DROP',
	];
	const jump = '-A INPUT -p tcp -m tcp --dport 4443 -j WAYMARK-MAAS';
	assert.deepEqual(
		firewall.plan(
			ctx,
			facts({...empty, chain: `${chain.join('\n')}\n`, input: `-P INPUT ACCEPT\n${jump}\n`, saved: `*filter\n${chain.slice(1).join('\n')}\n${jump}\nCOMMIT\n`}),
		).actions,
		[],
	);
});

test("nginx: the guide's site on httpsPort with php on 127.0.0.1:9000, key 0600 and secret, default site off; converges", () => {
	const nginx = step(hypervisors, 'maas-nginx');
	const fresh: FactValues = {nginx: '/usr/sbin/nginx\n', site: null, key: null, certificate: null, enabled: {text: '', exitCode: 1}, running: 'active\n'};
	const values: FactValues = {...fresh, default: 'present\n'};
	const plan = nginx.plan(ctx, facts(values));
	const items = summary(plan);
	const site = items.find(([what]) => what === 'file /etc/nginx/sites-available/cdpweather')![1];
	assert.match(site, /^\tlisten 4443 ssl default_server;$/m);
	assert.match(site, /^\t\tfastcgi_pass 127\.0\.0\.1:9000;$/m);
	assert.match(site, /^\tssl_certificate_key \/etc\/nginx\/ssl\/nginx\.key;$/m);
	const key = plan.actions.find(action => action.kind === 'file' && action.path === '/etc/nginx/ssl/nginx.key');
	assert.ok(key?.kind === 'file' && key.secret === true && key.mode === 0o600 && key.after.startsWith('-----BEGIN PRIVATE KEY-----'));
	assert.deepEqual(
		items.slice(-3).map(([what]) => what),
		[
			"command Enable the site (the guide's ln -s into sites-enabled)",
			'command Disable the default site (the guide deletes it)',
			'command Check the config (nginx -t), then reload or start nginx',
		],
	);
	const after = replan(
		'maas-nginx',
		ctx,
		values,
		plan,
		{'/etc/nginx/sites-available/cdpweather': 'site', '/etc/nginx/ssl/nginx.key': 'key', '/etc/nginx/ssl/nginx.crt': 'certificate'},
		{enabled: '/etc/nginx/sites-available/cdpweather\n', default: 'absent\n'},
	);
	assert.deepEqual(after.actions, []);
	assert.equal(
		nginx.verify!(
			ctx,
			facts({
				certificate:
					key?.kind === 'file' && plan.actions.find(action => action.kind === 'file' && action.path === '/etc/nginx/ssl/nginx.crt')?.kind === 'file'
						? (plan.actions.find(action => action.kind === 'file' && action.path === '/etc/nginx/ssl/nginx.crt') as {after: string}).after
						: '',
			}),
		)[0]!.status,
		'pass',
	);
});

test('nginx: the files being right is not enough; a stopped nginx is started after nginx -t, and check says it is down', () => {
	const nginx = step(hypervisors, 'maas-nginx');
	const fresh: FactValues = {nginx: '/usr/sbin/nginx\n', site: null, key: null, certificate: null, enabled: {text: '', exitCode: 1}, running: 'active\n'};
	const first = nginx.plan(ctx, facts({...fresh, default: 'absent\n'}));
	const text = (path: string) => (first.actions.find(action => action.kind === 'file' && action.path === path) as {after: string}).after;
	const converged: FactValues = {
		nginx: '/usr/sbin/nginx\n',
		site: text('/etc/nginx/sites-available/cdpweather'),
		key: text('/etc/nginx/ssl/nginx.key'),
		certificate: text('/etc/nginx/ssl/nginx.crt'),
		enabled: '/etc/nginx/sites-available/cdpweather\n',
		default: 'absent\n',
	};
	assert.equal(judge(nginx, ctx, facts({...converged, running: 'active\n'}), {live: true}).kind, 'ok');
	const stopped = facts({...converged, running: 'failed\n'});
	assert.deepEqual(summary(nginx.plan(ctx, stopped)), [['command Start nginx (it is not running; nginx -t first)', nginxTestAndReload]]);
	const running = nginx.verify!(ctx, stopped).find(check => check.id === 'maas-nginx-running');
	assert.deepEqual([running?.status, running?.evidence], ['fail', 'nginx: failed']);
	// Not installed yet (a dry run before the packages step): nothing to start, nothing claimed about it.
	const absent = nginx.verify!(ctx, facts({...converged, nginx: {text: '', exitCode: 1}, running: 'unknown\n'}));
	assert.equal(
		absent.some(check => check.id === 'maas-nginx-running'),
		false,
	);
});

test("php-fpm: cgi.fix_pathinfo=0 and post_max_size = 200M in Debian 12's php.ini, pool listen on 127.0.0.1:9000; converges", () => {
	const php = step(hypervisors, 'php-fpm-settings');
	const values: FactValues = {
		'php-ini': `/etc/php/8.2/fpm/php.ini\n${fixture('php/debian-12-php.ini-production')}`,
		pool: `/etc/php/8.2/fpm/pool.d/www.conf\n${fixture('php/debian-12-www.conf')}`,
		binary: '/usr/sbin/php-fpm8.2\n',
		systemd: 'yes',
		running: 'php8.2-fpm active\n',
	};
	const plan = php.plan(ctx, facts(values));
	const [ini, pool, restart] = plan.actions;
	assert.ok(ini?.kind === 'file' && pool?.kind === 'file');
	assert.equal(ini.path, '/etc/php/8.2/fpm/php.ini');
	assert.equal(ini.validateInPlace, '/usr/sbin/php-fpm8.2 -t');
	assert.equal(getIniValue(ini.after, 'PHP', 'cgi.fix_pathinfo'), '0');
	assert.equal(getIniValue(ini.after, 'PHP', 'post_max_size'), '200M');
	assert.equal(getIniValue(pool.after, 'www', 'listen'), '127.0.0.1:9000');
	assert.doesNotMatch(pool.after, /^listen = \/run\/php/m);
	assert.deepEqual(restart, {kind: 'command', title: 'Restart php8.2-fpm', script: 'systemctl restart php8.2-fpm'});
	const applied = {...values, 'php-ini': `/etc/php/8.2/fpm/php.ini\n${ini.after}`, pool: `/etc/php/8.2/fpm/pool.d/www.conf\n${pool.after}`};
	assert.deepEqual(php.plan(ctx, facts(applied)).actions, []);
	assert.equal(judge(php, ctx, facts(applied), {live: true}).kind, 'ok');
	assert.deepEqual(php.plan(ctx, facts({'php-ini': {text: '', exitCode: 1}, pool: {text: '', exitCode: 1}})).actions, []);
	// Settings right but the pool stopped: started, and check says nothing answers nginx on 127.0.0.1:9000.
	const stopped = facts({...applied, running: 'php8.2-fpm inactive\n'});
	const start = ['command Start php8.2-fpm (it is not running)', 'systemctl enable php8.2-fpm\nsystemctl restart php8.2-fpm'];
	assert.deepEqual(summary(php.plan(ctx, stopped)), [start]);
	const [running] = php.verify!(ctx, stopped);
	assert.deepEqual([running?.id, running?.status, running?.evidence], ['php-fpm-running', 'fail', 'systemctl is-active php8.2-fpm: inactive']);
	// Without systemd as pid 1 the step only says to restart by hand, and claims nothing about the pool.
	assert.deepEqual(php.verify!(ctx, facts({...applied, systemd: 'no', running: 'no-systemd\n'})), []);
});

test("php-fpm: the running probe names the unit of the newest PHP, php5-fpm for the guide's php5", () => {
	const run = (dirs: string[], systemd: boolean) => {
		const root = mkdtempSync(join(tmpdir(), 'waymark-php-'));
		try {
			const probe = phpFpmRunningProbe.replaceAll('/etc/php', `${root}/etc/php`).replaceAll('/run/systemd/system', systemd ? root : `${root}/none`);
			const bin = join(root, 'bin');
			for (const dir of [...dirs.map(each => join(root, each)), bin]) {
				spawnSync('mkdir', ['-p', dir]);
			}

			writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\n[ "$1 $2" = "is-active php8.4-fpm" ] && { echo active; exit 0; }\necho inactive; exit 3\n', {
				mode: 0o755,
			});
			return spawnSync('sh', ['-c', probe], {encoding: 'utf8', env: {PATH: `${bin}:/usr/bin:/bin`}}).stdout;
		} finally {
			rmSync(root, {recursive: true, force: true});
		}
	};

	assert.equal(run(['etc/php/8.2/fpm', 'etc/php/8.4/fpm'], true), 'php8.4-fpm active\n');
	assert.equal(run(['etc/php/8.2/fpm'], true), 'php8.2-fpm inactive\n');
	assert.equal(run(['etc/php5/fpm'], true), 'php5-fpm inactive\n');
	assert.equal(run(['etc/php/8.2/fpm'], false), 'no-systemd\n');
	assert.equal(phpFpmState('php8.2-fpm active\n'), 'active');
});

test('tunnels: one Host block per hypervisor with RemoteForward and keep-alives, named after the hypervisor targets', async t => {
	assert.deepEqual(tunnelPeers(ctx), [
		{name: 'hv2', host: 'hv2', port: '22'},
		{name: '192.0.2.30', host: '192.0.2.30', port: '2222'},
	]);
	assert.deepEqual(
		tunnelPeers(withAnswers({tunnelEndpoints: ['10.99.0.2', '10.99.0.3:22']})).map(peer => `${peer.host}:${peer.port}`),
		['10.99.0.2:22', '10.99.0.3:22'],
	);
	const config = tunnelSshConfig(ctx, 'hypervisors', '/home/tunnel');
	assert.equal(
		config.split('\n\n')[0]!.split('\n').slice(1).join('\n'),
		[
			'Host hypervisor-hv2',
			'\tHostName hv2',
			'\tPort 22',
			'\tUser tunnel',
			'\tIdentityFile /home/tunnel/.ssh/id_tunnel',
			'\tIdentitiesOnly yes',
			'\tRemoteForward 127.0.0.1:44443 127.0.0.1:4443',
			'\tServerAliveInterval 30',
			'\tServerAliveCountMax 3',
			'\tExitOnForwardFailure yes',
			'\tBatchMode yes',
			'\tStrictHostKeyChecking accept-new',
		].join('\n'),
	);
	assert.match(config, /^Host hypervisor-192\.0\.2\.30\n\tHostName 192\.0\.2\.30\n\tPort 2222$/m);
	const ssh = requireTool(t, 'ssh', 'openssh-client');
	if (ssh === undefined) {
		return;
	}

	const parsed = spawnSync(ssh, ['-G', '-F', writeTemp('ssh_config', config), 'hypervisor-hv2'], {encoding: 'utf8'});
	assert.equal(parsed.status, 0, parsed.stderr);
	assert.match(parsed.stdout, /^remoteforward \[127\.0\.0\.1\]:44443 \[127\.0\.0\.1\]:4443$/m);
	assert.match(parsed.stdout, /^exitonforwardfailure yes$/m);
});

test('tunnel unit: autossh as PITFALLS §10 says, one instance per hypervisor; systemd-analyze verify accepts it', async t => {
	const unit = tunnelUnitText(ctx, 'hypervisors');
	assert.match(unit, /^Wants=network-online\.target\nAfter=network-online\.target$/m);
	assert.match(unit, /^User=tunnel$/m);
	assert.match(unit, /^Environment=AUTOSSH_GATETIME=0$/m);
	assert.match(
		unit,
		/^ExecStart=\/usr\/bin\/autossh -M 0 -N -o ServerAliveInterval=30 -o ServerAliveCountMax=3 -o ExitOnForwardFailure=yes -o BatchMode=yes hypervisor-%i$/m,
	);
	assert.match(unit, /^Restart=always$/m);
	assert.doesNotMatch(unit, / -f /);
	assert.deepEqual(tunnelArgs('hypervisor-hv2').slice(0, 4), ['/usr/bin/autossh', '-M', '0', '-N']);
	verifyUnits(t, {'autossh-tunnel@hv2.service': unit}, ['/usr/bin/autossh']);
});

test('tunnel client: account, config, key (secret, 0600) and unit, the .ssh folder given to the account; converges', () => {
	const client = step(hypervisors, 'tunnel-client');
	const values: FactValues = {
		passwd: {text: '', exitCode: 2},
		config: {text: '', exitCode: 1},
		key: {text: '', exitCode: 1},
		owners: '',
		unit: null,
		systemd: 'no',
		active: '',
		autossh: '/usr/bin/autossh\n',
	};
	const plan = client.plan(ctx, facts(values));
	assert.deepEqual(
		summary(plan).map(([what]) => what),
		[
			'command Create the service account tunnel',
			'file /home/tunnel/.ssh/config',
			'file /home/tunnel/.ssh/id_tunnel',
			'command Give /home/tunnel/.ssh to tunnel',
			'file /etc/systemd/system/autossh-tunnel@.service',
		],
	);
	const key = plan.actions[2]!;
	assert.ok(key.kind === 'file' && key.secret && key.mode === 0o600 && key.after === tunnelKey.privateKey);
	assert.match(plan.notes[0]!, /No systemd here: the units are written but not started/);
	const done = {
		passwd: 'tunnel:x:999:999::/home/tunnel:/usr/sbin/nologin\n',
		config: (plan.actions[1] as {after: string}).after,
		key: tunnelKey.privateKey,
		owners: 'tunnel .ssh\ntunnel .ssh/config\ntunnel .ssh/id_tunnel\n',
		unit: (plan.actions[4] as {after: string}).after,
	};
	assert.deepEqual(client.plan(ctx, facts({...values, ...done})).actions, []);
	// Without systemd nothing starts the units: written is not running, so the step waits instead of passing.
	const unstarted = judge(client, ctx, facts({...values, ...done}), {live: true});
	assert.equal(unstarted.kind, 'deferred');
	assert.match(unstarted.kind === 'deferred' ? unstarted.remedy : '', /as tunnel with AUTOSSH_GATETIME=0 from the host's init system/);
	const active = 'autossh-tunnel@hv2.service active up\nautossh-tunnel@192.0.2.30.service inactive down\n';
	const withSystemd = client.plan(ctx, facts({...values, ...done, systemd: 'yes', active}));
	assert.deepEqual(summary(withSystemd), [
		[
			'command Start autossh-tunnel@192.0.2.30.service',
			'systemctl daemon-reload\nsystemctl enable autossh-tunnel@192.0.2.30.service\nsystemctl restart autossh-tunnel@192.0.2.30.service',
		],
	]);
});

test('tunnel client: a tunnel counts as up only while its ssh is connected; an active autossh that is not is restarted, check fails', () => {
	const client = step(hypervisors, 'tunnel-client');
	assert.deepEqual(
		[...tunnelStates('autossh-tunnel@hv2.service active up\nautossh-tunnel@x.service active down\nautossh-tunnel@y.service failed down\n')],
		[
			['autossh-tunnel@hv2.service', {state: 'active', up: true}],
			['autossh-tunnel@x.service', {state: 'active', up: false}],
			['autossh-tunnel@y.service', {state: 'failed', up: false}],
		],
	);
	// What systemd alone said before: active. An old two-word line never counts as up.
	assert.equal(tunnelStates('autossh-tunnel@hv2.service active\n').get('autossh-tunnel@hv2.service')?.up, false);
	const missing = {text: '', exitCode: 1};
	const fresh: FactValues = {passwd: {text: '', exitCode: 2}, config: missing, key: missing, owners: '', unit: null, active: ''};
	const first = client.plan(ctx, facts({...fresh, systemd: 'yes', autossh: '/usr/bin/autossh\n'}));
	const written = (path: string) => (first.actions.find(action => action.kind === 'file' && action.path === path) as {after: string}).after;
	const converged: FactValues = {
		passwd: 'tunnel:x:999:999::/home/tunnel:/usr/sbin/nologin\n',
		config: written('/home/tunnel/.ssh/config'),
		key: tunnelKey.privateKey,
		owners: 'tunnel .ssh\ntunnel .ssh/config\ntunnel .ssh/id_tunnel\n',
		unit: written('/etc/systemd/system/autossh-tunnel@.service'),
		systemd: 'yes',
		autossh: '/usr/bin/autossh\n',
	};
	const up = facts({...converged, active: 'autossh-tunnel@hv2.service active up\nautossh-tunnel@192.0.2.30.service active up\n'});
	assert.equal(judge(client, ctx, up, {live: true}).kind, 'ok');
	// autossh keeps the unit active while its ssh is refused and it waits longer and longer between tries.
	const stalled = facts({...converged, active: 'autossh-tunnel@hv2.service active up\nautossh-tunnel@192.0.2.30.service active down\n'});
	assert.deepEqual(summary(client.plan(ctx, stalled)), [
		[
			'command Start autossh-tunnel@192.0.2.30.service (autossh-tunnel@192.0.2.30.service: active, but its ssh is not connected)',
			'systemctl daemon-reload\nsystemctl enable autossh-tunnel@192.0.2.30.service\nsystemctl restart autossh-tunnel@192.0.2.30.service',
		],
	]);
	const checks = client.verify!(ctx, stalled);
	assert.deepEqual(
		checks.map(check => [check.id, check.status]),
		[
			['tunnel-hv2', 'pass'],
			['tunnel-192.0.2.30', 'fail'],
		],
	);
	assert.match(checks[1]!.evidence, /active; its ssh is not connected/);
	assert.match(checks[1]!.reason, /journalctl -u autossh-tunnel@192\.0\.2\.30\.service.*192\.0\.2\.30:2222 unreachable/);
	// The probe is plain sh with the units quoted in; sh -n parses it.
	const probe = tunnelStatesProbe(['autossh-tunnel@hv2.service', 'autossh-tunnel@192.0.2.30.service']);
	assert.match(probe, /for u in autossh-tunnel@hv2\.service autossh-tunnel@192\.0\.2\.30\.service; do/);
	const parsed = spawnSync('sh', ['-n'], {input: probe, encoding: 'utf8'});
	assert.equal(parsed.status, 0, parsed.stderr);
});

test('tunnel relay: Match User block and a key that may only listen on the relay port; sshd -T reads it that way', async t => {
	const relay = step(hypervisors, 'tunnel-relay');
	assert.equal(relayKeyLine(ctx), `restrict,port-forwarding,permitlisten="127.0.0.1:44443" ${publicKeyOf(tunnelKey.privateKey, 'waymark-tunnel')}`);
	const main = fixture('sshd/debian-12-sshd_config');
	const values: FactValues = {passwd: {text: '', exitCode: 2}, keys: '', main, dropin: null};
	const plan = relay.plan(on('ssh:hv2'), facts(values));
	assert.deepEqual(
		summary(plan).map(([what]) => what),
		[
			'command Create the service account tunnel',
			'command Allow the MaaS tunnel key for tunnel (port forwarding to 127.0.0.1:44443 only)',
			'file /etc/ssh/sshd_config.d/50-waymark-tunnel.conf',
			'command Reload sshd (sessions stay open)',
		],
	);
	const dropIn = (plan.actions[2] as {after: string; validateInPlace: string}).after;
	assert.ok(dropIn.endsWith(relayMatchBlock(ctx)));
	assert.deepEqual(
		relay.plan(ctx, facts({passwd: 'tunnel:x:999:999::/home/tunnel:/usr/sbin/nologin\n', keys: `${relayKeyLine(ctx)}\n`, main, dropin: dropIn})).actions,
		[],
	);
	// Without an Include line (Ubuntu 18.04) the block goes to the end of sshd_config, after everything global.
	const old = relay.plan(ctx, facts({...values, main: fixture('sshd/ubuntu-18.04-sshd_config')}));
	assert.ok((old.actions[2] as {after: string}).after.endsWith(`\n\n${relayMatchBlock(ctx)}`));
	const dir = mkdtempSync(join(tmpdir(), 'waymark-relay-'));
	try {
		writeFileSync(join(dir, 'tunnel.conf'), dropIn);
		writeFileSync(join(dir, 'sshd_config'), main.replace('Include /etc/ssh/sshd_config.d/*.conf', `Include ${dir}/tunnel.conf`));
		const effective = async (user: string) => {
			const result = await runSshd(t, ['-T', '-f', join(dir, 'sshd_config'), '-C', `user=${user},host=maas,addr=192.0.2.3`]);
			assert.equal(result?.code, 0, result?.stderr);
			return result.stdout;
		};
		if (findTool('sshd') === undefined && process.env['CI'] !== 'true') {
			t.skip('sshd is not installed (apt-get install -y openssh-server)');
			return;
		}

		const tunnel = await effective('tunnel');
		assert.match(tunnel, /^allowtcpforwarding remote$/m);
		assert.match(tunnel, /^permitlisten 127\.0\.0\.1:44443$/m);
		assert.match(tunnel, /^permittty no$/m);
		assert.match(await effective('spike'), /^allowtcpforwarding yes$/m, 'the Match block does not leak to other users');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('container proxy: loopback alias as a /32 kept by ifupdown, netplan or a unit, and a socket proxy to the relay port', async t => {
	assert.equal(aliasKeeper('source /etc/network/interfaces.d/*\n', false), 'ifupdown');
	assert.equal(aliasKeeper('auto lo\niface lo inet loopback\n', false), 'unit');
	assert.equal(aliasKeeper(null, true), 'netplan');
	const proxy = step(hypervisors, 'container-proxy');
	const values: FactValues = {
		interfaces: 'source /etc/network/interfaces.d/*\n',
		'netplan-dir': null,
		ifupdown: null,
		netplan: null,
		unit: null,
		socket: null,
		service: null,
		lo: '1: lo    inet 127.0.0.1/8 scope host lo\n',
		systemd: 'yes',
		active: {text: 'inactive\n', exitCode: 3},
	};
	const plan = proxy.plan(ctx, facts(values));
	const items = summary(plan);
	assert.deepEqual(items[0], [
		'file /etc/network/interfaces.d/waymark-lo-maas',
		'# Written by Waymark (hypervisors, step container-proxy). Edit the answers and run the wizard again rather than this file.\nauto lo:0\niface lo:0 inet static\n\taddress 192.168.49.49/32\n',
	]);
	assert.deepEqual(items[3], ['command Add 192.168.49.49/32 to lo now', 'ip addr replace 192.168.49.49/32 dev lo label lo:0']);
	assert.match(items[4]![1], /systemctl enable maas-container-proxy\.socket/);
	const units = proxyUnitTexts(ctx, 'hypervisors');
	assert.match(units.socket, /^ListenStream=192\.168\.49\.49:64443$/m);
	assert.match(units.service, /^ExecStart=\/lib\/systemd\/systemd-socket-proxyd 127\.0\.0\.1:44443$/m);
	verifyUnits(t, {'maas-container-proxy.socket': units.socket, 'maas-container-proxy.service': units.service});
	const after = replan(
		'container-proxy',
		ctx,
		values,
		plan,
		{
			'/etc/network/interfaces.d/waymark-lo-maas': 'ifupdown',
			'/etc/systemd/system/maas-container-proxy.socket': 'socket',
			'/etc/systemd/system/maas-container-proxy.service': 'service',
		},
		{lo: '1: lo    inet 127.0.0.1/8 scope host lo\n1: lo    inet 192.168.49.49/32 scope global lo:0\n', active: 'active\n'},
	);
	assert.deepEqual(after.actions, []);
	assert.equal(after.unmet, undefined);
	// The same files on a host without systemd: nothing starts the socket, so the step is deferred, not ok.
	const written = {ifupdown: summary(plan)[0]![1], socket: units.socket, service: units.service};
	const bare = facts({...values, ...written, systemd: 'no', lo: '1: lo    inet 192.168.49.49/32 scope global lo:0\n'});
	const waiting = judge(proxy, ctx, bare, {live: true});
	assert.equal(waiting.kind, 'deferred');
	assert.match(waiting.kind === 'deferred' ? waiting.message : '', /socket proxy for containers is written but nothing starts it/);
});

test('lxc move: only on the source hypervisor, numeric owners both ways, skipped once the destination has it', () => {
	const move = step(hypervisors, 'lxc-move');
	const asked = withAnswers({lxcContainer: 'web1', lxcFrom: 'hv2', lxcTo: 'root@10.99.0.3'});
	assert.deepEqual(move.plan(ctx, facts({})).actions, []);
	assert.deepEqual(move.plan({...asked, target: {kind: 'ssh', label: 'ssh:spike@192.0.2.30:2222'}}, facts({})).actions, []);
	const source = {...asked, target: {kind: 'ssh', label: 'ssh:hv2'}} as const;
	assert.deepEqual(
		move.facts(source).map(request => request.key),
		['config', 'moved'],
	);
	const script = summary(move.plan(source, facts({config: 'lxc.uts.name = web1\n', moved: {text: '', exitCode: 1}})))[0]![1];
	assert.match(script, /lxc-stop -n web1/);
	assert.match(script, /tar --numeric-owner -cf - -C \/var\/lib\/lxc\/web1 \./);
	assert.match(script, /tar --numeric-owner -xzf \/var\/lib\/lxc\/web1\.waymark\.tar\.gz -C \/var\/lib\/lxc\/web1/);
	assert.match(script, /progress copy/);
	assert.match(script, /ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new root@10\.99\.0\.3 /);
	assert.deepEqual(move.plan(source, facts({config: 'x', moved: 'moved\n'})).actions, []);
});

test('docker image: docker save | progress | gzip into NAME.maas, saved again only when the image id changed', () => {
	const docker = step(hypervisors, 'docker-image');
	const asked = withAnswers({dockerImage: 'foundation/probe:latest'});
	const script = summary(docker.plan(asked, facts({id: 'sha256:abc\n', saved: {text: '', exitCode: 1}, running: ''})))[0]![1];
	assert.match(
		script,
		/docker save foundation\/probe:latest; echo \$\? > "\$ps_"; \} \| progress save "\$size" \| gzip > \/srv\/maas\/images\/foundation_probe_latest\.maas\.part/,
	);
	assert.match(script, /mv -f \/srv\/maas\/images\/foundation_probe_latest\.maas\.part \/srv\/maas\/images\/foundation_probe_latest\.maas/);
	assert.deepEqual(docker.plan(asked, facts({id: 'sha256:abc\n', saved: 'sha256:abc\n', running: ''})).actions, []);
	assert.deepEqual(docker.plan(ctx, facts({})).actions, []);
});

test('progress: bytes pass through untouched, percentages go to stderr, and a failing producer fails the copy', () => {
	const run = (producer: string) => spawnSync('sh', ['-c', `${progressFunction}\n${withProgress(producer, 'copy', '3000000', 'wc -c')}`], {encoding: 'utf8'});
	const ok = run('head -c 3000000 /dev/zero');
	assert.equal(ok.status, 0, ok.stderr);
	assert.equal(ok.stdout.trim(), '3000000');
	assert.match(ok.stderr, /^copy: (100%|3000000 bytes)/m);
	assert.notEqual(run('head -c 1000 /dev/zero; false').status, 0);
});

test('the wizard refuses bad names before anything runs', () => {
	const errors = hypervisors.validate!({
		...ctx.answers,
		operatorUser: 'Bad User',
		tunnelEndpoints: ['host;rm'],
		lxcContainer: 'web1',
		lxcFrom: '',
		lxcTo: 'x y',
	});
	assert.deepEqual(errors.map(error => error.field).sort(), ['lxcFrom', 'lxcTo', 'operatorUser', 'tunnelEndpoints']);
	assert.deepEqual(hypervisors.validate!(ctx.answers), []);
});

function writeTemp(name: string, text: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'waymark-hv-'));
	writeFileSync(join(dir, name), text);
	return join(dir, name);
}

/**
 * systemd-analyze verify on the units (it checks syntax, specifiers and that binaries exist); a skip without it, never
 * in CI. `installedThere` names binaries the wizard installs on the host (autossh on the MaaS), which this machine
 * need not have: only their "not executable" complaint is let through, and only while the binary is missing here.
 */
function verifyUnits(t: TestContext, units: Record<string, string>, installedThere: readonly string[] = []): void {
	if (requireTool(t, 'systemd-analyze', 'systemd') === undefined) {
		return;
	}

	const dir = mkdtempSync(join(tmpdir(), 'waymark-units-'));
	try {
		for (const [name, text] of Object.entries(units)) {
			writeFileSync(join(dir, name), text);
		}

		const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...Object.keys(units).map(name => join(dir, name))], {encoding: 'utf8'});
		const absentHere = installedThere.filter(binary => !existsSync(binary));
		const elsewhere = (line: string) => absentHere.some(binary => line.includes(`Command ${binary} is not executable`));
		const complaint = (line: string) => line.includes(dir) || /executable|Unknown|Failed|bad/i.test(line);
		const complaints = `${result.stdout}${result.stderr}`.split('\n').filter(line => complaint(line) && !elsewhere(line));
		assert.deepEqual(complaints, [], `${result.stdout}${result.stderr}`);
		assert.ok(result.status === 0 || (absentHere.length > 0 && complaints.length === 0), `${result.stdout}${result.stderr}`);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
