// The hypervisors files and probes as the real tools read them: sshd -T on the relay's Match block, ssh -G on the
// tunnels' config, systemd-analyze verify on the units, and the shell probes run by sh.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {proxyUnitTexts} from '../../../wizards/hypervisors/container-proxy.js';
import {phpFpmRunningProbe, phpFpmState} from '../../../wizards/hypervisors/php-fpm-settings.js';
import {unitStateProbe} from '../../../wizards/hypervisors/service-running.js';
import {progressFunction, withProgress} from '../../../wizards/hypervisors/transfer-progress.js';
import {tunnelSshConfig, tunnelStatesProbe, tunnelUnitText} from '../../../wizards/hypervisors/tunnel-client.js';
import {fixture} from '../../edits/fixture.js';
import {findTool, requireTool, runSshd} from '../../keys/real-tools.js';
import {caseContext} from './fixtures.js';
import {relayDropIn} from './tunnel-relay.cases.js';

const ctx = caseContext();

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

test('the unit state probe says no-systemd where systemd is not pid 1', () => {
	const probe = spawnSync('sh', ['-c', unitStateProbe('mariadb').replace('/run/systemd/system', '/nonexistent-waymark')], {encoding: 'utf8'});
	assert.equal(probe.stdout, 'no-systemd\n');
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

test("tunnels: ssh -G reads the Host block's RemoteForward and ExitOnForwardFailure", t => {
	const ssh = requireTool(t, 'ssh', 'openssh-client');
	if (ssh === undefined) {
		return;
	}

	const parsed = spawnSync(ssh, ['-G', '-F', writeTemp('ssh_config', tunnelSshConfig(ctx, 'hypervisors', '/home/tunnel')), 'hypervisor-hv2'], {
		encoding: 'utf8',
	});
	assert.equal(parsed.status, 0, parsed.stderr);
	assert.match(parsed.stdout, /^remoteforward \[127\.0\.0\.1\]:44443 \[127\.0\.0\.1\]:4443$/m);
	assert.match(parsed.stdout, /^exitonforwardfailure yes$/m);
});

test('tunnel unit: systemd-analyze verify accepts it', t => {
	verifyUnits(t, {'autossh-tunnel@hv2.service': tunnelUnitText(ctx, 'hypervisors')}, ['/usr/bin/autossh']);
});

test('container proxy: systemd-analyze verify accepts the socket and its proxy', t => {
	const units = proxyUnitTexts(ctx, 'hypervisors');
	verifyUnits(t, {'maas-container-proxy.socket': units.socket, 'maas-container-proxy.service': units.service});
});

test('tunnel states: the probe is plain sh with the units quoted in; sh -n parses it', () => {
	const probe = tunnelStatesProbe(['autossh-tunnel@hv2.service', 'autossh-tunnel@192.0.2.30.service']);
	assert.match(probe, /for u in autossh-tunnel@hv2\.service autossh-tunnel@192\.0\.2\.30\.service; do/);
	const parsed = spawnSync('sh', ['-n'], {input: probe, encoding: 'utf8'});
	assert.equal(parsed.status, 0, parsed.stderr);
});

test('tunnel relay: sshd -T reads the Match User block as the tunnel account only', async t => {
	const main = fixture('sshd/debian-12-sshd_config');
	const dir = mkdtempSync(join(tmpdir(), 'waymark-relay-'));
	try {
		writeFileSync(join(dir, 'tunnel.conf'), relayDropIn);
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
		assert.match(tunnel, /^clientaliveinterval 15$/m, 'a dead MaaS is dropped, so its port comes free');
		assert.match(tunnel, /^clientalivecountmax 3$/m);
		assert.match(await effective('spike'), /^allowtcpforwarding yes$/m, 'the Match block does not leak to other users');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('progress: bytes pass through untouched, percentages go to stderr, and a failing producer fails the copy', () => {
	const run = (producer: string) => spawnSync('sh', ['-c', `${progressFunction}\n${withProgress(producer, 'copy', '3000000', 'wc -c')}`], {encoding: 'utf8'});
	const ok = run('head -c 3000000 /dev/zero');
	assert.equal(ok.status, 0, ok.stderr);
	assert.equal(ok.stdout.trim(), '3000000');
	assert.match(ok.stderr, /^copy: (100%|3000000 bytes)/m);
	assert.notEqual(run('head -c 1000 /dev/zero; false').status, 0);
});
