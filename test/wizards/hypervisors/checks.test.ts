// What a case table cannot say: a check's evidence and reason, a verdict's message and remedy, that no check is made,
// the facts a step asks for, and what a step is (lockout risk).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judge} from '../../../source/engine/converge.js';
import {splitKeyAndCertificate} from '../../../source/keys/pem.js';
import {maasSiteText, maasTlsSecret} from '../../../wizards/hypervisors/maas-nginx.js';
import {unitStateProbe} from '../../../wizards/hypervisors/service-running.js';
import {tunnelSshConfig, tunnelUnitText} from '../../../wizards/hypervisors/tunnel-client.js';
import {proxyUnitTexts} from '../../../wizards/hypervisors/container-proxy.js';
import {cgroupsOff} from './memory-cgroup.cases.js';
import {fixture} from '../../edits/fixture.js';
import {facts, step, type FactValues} from '../step-harness.js';
import {absent, boundHypervisors, caseContext, secrets, tunnelKey} from './fixtures.js';

const ctx = caseContext();
const live = {live: true};
const apt = '/usr/bin/apt-get\n';
const of = (id: string) => step(boundHypervisors, id);

test('database server: the unit is read with the no-systemd probe; a stopped mariadb fails check, with its state', () => {
	const db = of('db-packages');
	assert.ok(db.facts(ctx).some(request => request.key === 'mariadb-state' && request.kind === 'command' && request.command === unitStateProbe('mariadb')));
	const installed = {apt, installed: 'ii \tmariadb-server\t\nii \tmariadb-client\t\n'};
	assert.equal(judge(db, ctx, facts({...installed, 'mariadb-state': 'active\n'}), live).kind, 'ok');
	const [running] = db.verify!(ctx, facts({...installed, 'mariadb-state': 'failed\n'}));
	assert.deepEqual([running?.id, running?.status, running?.evidence], ['mariadb-running', 'fail', 'systemctl is-active mariadb: failed']);
	// No systemd to ask: nothing claimed.
	assert.deepEqual(db.verify!(ctx, facts({...installed, 'mariadb-state': 'no-systemd\n'})), []);
});

test('hypervisor packages: an isc-dhcp-server that cannot start unconfigured is a warning that says why; ok all the same', () => {
	const packages = of('hypervisor-packages');
	const installed = `ii \t${['lxc', 'git', 'bridge-utils', 'iptables-persistent', 'isc-dhcp-server', 'autossh'].join('\t\nii \t')}\t\n`;
	const verdict = judge(packages, ctx, facts({apt, installed, 'isc-dhcp-server-state': 'failed\n'}), live);
	assert.equal(verdict.kind, 'ok');
	const [warning] = verdict.kind === 'ok' ? verdict.checks : [];
	assert.deepEqual([warning?.id, warning?.status, warning?.evidence], ['isc-dhcp-server-running', 'warn', 'systemctl is-active isc-dhcp-server: failed']);
	assert.match(warning?.reason ?? '', /subnet for their bridge in \/etc\/dhcp\/dhcpd\.conf/);
	// Left out of hypervisorPackages: nothing is said about it.
	const few = facts({apt, installed: 'ii \tlxc\t\nii \tgit\t\n', 'isc-dhcp-server-state': 'inactive\n'});
	assert.deepEqual(packages.verify!(caseContext({hypervisorPackages: ['lxc', 'git']}), few), []);
});

test('memory cgroup: in a container the verdict is skipped, naming the machine that runs it', () => {
	const contained = {
		kernel: '3.16.0-4-amd64',
		container: 'systemd-nspawn',
		systemd: 'yes',
		cgroups: cgroupsOff,
		grub: fixture('grub/debian-12-default-grub'),
		dropin: null,
	};
	const verdict = judge(of('memory-cgroup'), ctx, facts(contained), live);
	assert.equal(verdict.kind, 'skipped');
	assert.match(verdict.kind === 'skipped' ? verdict.message : '', /container \(systemd-nspawn\).*machine that runs it/);
});

test('firewall: a lockout step, applied with the guard', () => {
	assert.equal(of('maas-firewall').risk, 'lockout');
});

const pem = splitKeyAndCertificate(secrets[maasTlsSecret]);
const nginxConverged: FactValues = {
	nginx: '/usr/sbin/nginx\n',
	site: maasSiteText(ctx, 'hypervisors'),
	key: pem.key,
	certificate: pem.certificate,
	enabled: '/etc/nginx/sites-available/cdpweather\n',
	default: 'absent\n',
};

test('nginx: ok once served; a stopped nginx fails check with its state; not installed yet, nothing is claimed about it', () => {
	const nginx = of('maas-nginx');
	assert.equal(judge(nginx, ctx, facts({...nginxConverged, running: 'active\n'}), live).kind, 'ok');
	const running = nginx.verify!(ctx, facts({...nginxConverged, running: 'failed\n'})).find(check => check.id === 'maas-nginx-running');
	assert.deepEqual([running?.status, running?.evidence], ['fail', 'nginx: failed']);
	const absentNginx = nginx.verify!(ctx, facts({...nginxConverged, nginx: absent, running: 'unknown\n'}));
	assert.equal(
		absentNginx.some(check => check.id === 'maas-nginx-running'),
		false,
	);
});

test('php-fpm: ok once edited and running; a stopped pool fails check with its unit; without systemd nothing is claimed', () => {
	const php = of('php-fpm-settings');
	const ini = fixture('php/debian-12-php.ini-production');
	const pool = fixture('php/debian-12-www.conf');
	const first = php.plan(
		ctx,
		facts({
			'php-ini': `/etc/php/8.2/fpm/php.ini\n${ini}`,
			pool: `/etc/php/8.2/fpm/pool.d/www.conf\n${pool}`,
			binary: '/usr/sbin/php-fpm8.2\n',
			systemd: 'yes',
			running: 'php8.2-fpm active\n',
		}),
	);
	const [iniAfter, poolAfter] = first.actions.map(action => (action.kind === 'file' ? action.after : ''));
	const applied: FactValues = {
		'php-ini': `/etc/php/8.2/fpm/php.ini\n${iniAfter}`,
		pool: `/etc/php/8.2/fpm/pool.d/www.conf\n${poolAfter}`,
		binary: '/usr/sbin/php-fpm8.2\n',
		systemd: 'yes',
	};
	assert.equal(judge(php, ctx, facts({...applied, running: 'php8.2-fpm active\n'}), live).kind, 'ok');
	const [running] = php.verify!(ctx, facts({...applied, running: 'php8.2-fpm inactive\n'}));
	assert.deepEqual([running?.id, running?.status, running?.evidence], ['php-fpm-running', 'fail', 'systemctl is-active php8.2-fpm: inactive']);
	assert.deepEqual(php.verify!(ctx, facts({...applied, systemd: 'no', running: 'no-systemd\n'})), []);
});

const tunnelConverged: FactValues = {
	passwd: 'tunnel:x:999:999::/home/tunnel:/usr/sbin/nologin\n',
	config: tunnelSshConfig(ctx, 'hypervisors', '/home/tunnel'),
	key: tunnelKey.privateKey,
	owners: 'tunnel .ssh\ntunnel .ssh/config\ntunnel .ssh/id_tunnel\n',
	unit: tunnelUnitText(ctx, 'hypervisors'),
	autossh: '/usr/bin/autossh\n',
};

test('tunnel client: without systemd deferred with how to start the units; with it, a tunnel whose ssh is down says where to look', () => {
	const client = of('tunnel-client');
	const unstarted = judge(client, ctx, facts({...tunnelConverged, systemd: 'no', active: ''}), live);
	assert.equal(unstarted.kind, 'deferred');
	assert.match(unstarted.kind === 'deferred' ? unstarted.remedy : '', /as tunnel with AUTOSSH_GATETIME=0 from the host's init system/);
	const up = 'autossh-tunnel@hv2.service active up\nautossh-tunnel@192.0.2.30.service active up\n';
	assert.equal(judge(client, ctx, facts({...tunnelConverged, systemd: 'yes', active: up}), live).kind, 'ok');
	const stalled = 'autossh-tunnel@hv2.service active up\nautossh-tunnel@192.0.2.30.service active down\n';
	const checks = client.verify!(ctx, facts({...tunnelConverged, systemd: 'yes', active: stalled}));
	assert.deepEqual(
		checks.map(check => [check.id, check.status]),
		[
			['tunnel-hv2', 'pass'],
			['tunnel-192.0.2.30', 'fail'],
		],
	);
	assert.match(checks[1]!.evidence, /active; its ssh is not connected/);
	assert.match(checks[1]!.reason, /journalctl -u autossh-tunnel@192\.0\.2\.30\.service.*192\.0\.2\.30:2222 unreachable/);
	// Without systemd there is nothing to ask about the tunnels.
	assert.deepEqual(client.verify!(ctx, facts({...tunnelConverged, systemd: 'no', active: ''})), []);
});

test('container proxy: written files on a host without systemd are deferred, saying nothing starts the socket', () => {
	const units = proxyUnitTexts(ctx, 'hypervisors');
	const bare = facts({
		interfaces: 'source /etc/network/interfaces.d/*\n',
		'netplan-dir': null,
		ifupdown:
			'# Written by Waymark (hypervisors, step container-proxy). Edit the answers and run the wizard again rather than this file.\n' +
			'auto lo:0\niface lo:0 inet static\n\taddress 192.168.49.49/32\n',
		netplan: null,
		unit: null,
		socket: units.socket,
		service: units.service,
		lo: '1: lo    inet 192.168.49.49/32 scope global lo:0\n',
		systemd: 'no',
		active: {text: 'inactive\n', exitCode: 3},
	});
	const waiting = judge(of('container-proxy'), ctx, bare, live);
	assert.equal(waiting.kind, 'deferred');
	assert.match(waiting.kind === 'deferred' ? waiting.message : '', /socket proxy for containers is written but nothing starts it/);
});

test('lxc move: only the source reads anything, the container config and whether the destination has it', () => {
	const move = of('lxc-move');
	const asked = caseContext({lxcContainer: 'web1', lxcFrom: 'hv2', lxcTo: 'root@10.99.0.3'});
	assert.deepEqual(
		move.facts(asked).map(request => request.key),
		['config', 'moved'],
	);
	assert.deepEqual(move.facts({...asked, target: {kind: 'ssh', label: 'ssh:spike@192.0.2.30:2222'}}), []);
	assert.deepEqual(move.facts(ctx), []);
});

test('docker image: nothing is read unless an image is asked for', () => {
	assert.deepEqual(of('docker-image').facts(ctx), []);
	assert.deepEqual(
		of('docker-image')
			.facts(caseContext({dockerImage: 'foundation/probe:latest'}))
			.map(request => request.key),
		['id', 'saved', 'running'],
	);
});
