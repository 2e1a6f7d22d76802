// vpn-multinode through the real CLI in a real terminal, over ssh, against three lab hosts joined by a lab bridge.
// The WireGuard mesh comes up with wireguard-go (this kernel has no WireGuard module) and every host pings every other.
// Every address is inside the lab namespaces: public addresses are the lab's 10.99.0.N, hostnames live in /etc/hosts.
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {createLabNetwork, type LabNetwork} from '../lab/lab-host.js';
import {ensurePackages, labSkipReason, terminalSkipReason} from '../lab/packages.js';
import {cliCommand, jsonEvents, repoRoot, waymark} from './cli.js';
import {readAll} from './read-all.js';
import {startTerminal, type Terminal} from './terminal.js';
import {ensureTunDevice, meshPackages} from './vpn-multinode-lab.js';

const skip = (await labSkipReason()) ?? (await terminalSkipReason());
const base = mkdtempSync(join(tmpdir(), 'waymark-e2e-mesh-'));
const home = join(base, 'home');
const env = {WAYMARK_HOME: home};
const hostnames = ['vpn.lab.test', 'europe.lab.test', 'asia.lab.test'];
const meshIps = ['10.42.42.1', '10.42.42.2', '10.42.42.3'];

describe('vpn-multinode end to end', {skip}, () => {
	let lab: LabNetwork;
	let terminal: Terminal | undefined;
	let answers = '';
	let targets: string[] = [];
	const outputs: string[] = [];

	before(async () => {
		await ensurePackages(meshPackages);
		lab = await createLabNetwork(3, {prefix: 'mesh'});
		const addresses = lab.hosts.map(host => host.address!);
		const hostsFile = hostnames.map((name, index) => `${addresses[index]} ${name}`).join('\n');
		for (const host of lab.hosts) {
			await ensureTunDevice(host);
			// The lab's own /etc/hosts answers the DNS checks: no resolver outside the machine is asked.
			const added = await host.exec('cat >> /etc/hosts', {input: `${hostsFile}\n`});
			assert.equal(added.exitCode, 0, added.stderr);
		}

		targets = ['--target', `controller=ssh:${lab.hosts[0]!.alias}`, ...lab.hosts.slice(1).flatMap(host => ['--target', `node=ssh:${host.alias}`]), '--ssh-config', lab.sshConfig];
		answers = join(base, 'answers.yaml');
		writeFileSync(
			answers,
			[
				`controllerHostname: ${hostnames[0]}`,
				`controllerPublicIp: ${addresses[0]}`,
				'nodeNames: [europe, asia]',
				`nodeHostnames: [${hostnames.slice(1).join(', ')}]`,
				`nodePublicIps: [${addresses.slice(1).join(', ')}]`,
				`nodeMeshIps: [${meshIps.slice(1).join(', ')}]`,
				'ranges: [10.0.0.0/24, 10.20.30.0/24]',
				"ranges6: ['fd00:4242:4242::/48', 'fd00:4445:4647::/48']",
			].join('\n'),
		);
	});

	after(async () => {
		await terminal?.close();
		await lab?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	test('a bad topology is refused naming the field, and nothing runs', async () => {
		const bad = join(base, 'bad.yaml');
		writeFileSync(bad, `${readFileSync(answers, 'utf8')}\nmanagementIps: [10.10.10.2, 10.10.10.3]\n`);
		const refused = await waymark(['run', 'vpn-multinode', ...targets, '--answers', bad, '--yes', '--json'], env);
		assert.equal(refused.exitCode, 2);
		assert.match(String(refused.stderr) + String(refused.stdout), /managementIps: 10\.10\.10\.2 \(node europe\) is outside the mesh/);
		assert.deepEqual(await lab.hosts[0]!.changedFiles().then(files => files.filter(file => file !== '/etc/hosts')), []);
	});

	test('killed with SIGKILL in the middle of the run, it resumes and finishes', async () => {
		terminal = startTerminal({
			command: cliCommand('run', 'vpn-multinode', ...targets, '--answers', answers, '--yes', '--plain'),
			cwd: repoRoot,
			env: {...env, CI: undefined},
			columns: 160,
			rows: 50,
		});
		await terminal.waitFor('Bring the WireGuard mesh up', {timeoutMs: 120_000});
		await terminal.kill('SIGKILL');
		const killed = await terminal.waitForExit({timeoutMs: 10_000});
		assert.equal(killed.signal, 'SIGKILL');
		const runs = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{status: string; done: number; total: number}>;
		assert.equal(runs.length, 1);
		assert.equal(runs[0]!.status, 'running', 'the run was cut off, not finished');
		assert.ok(runs[0]!.done < runs[0]!.total);

		const resumed = await waymark(['resume', '--yes', '--json'], env);
		outputs.push(String(resumed.stdout), String(resumed.stderr));
		assert.equal(resumed.exitCode, 0, String(resumed.stderr) + String(resumed.stdout).slice(-3000));
		const events = jsonEvents(String(resumed.stdout));
		const end = events.at(-1) as {type: string; status: string; counts: {failed: number}};
		assert.equal(end.type, 'run-end');
		assert.equal(end.status, 'done');
		assert.equal(end.counts.failed, 0);
		const checks = events.filter(event => event.type === 'check').map(event => event['check'] as {id: string; status: string});
		for (const id of ['mesh-ping-europe.lab.test', 'mesh-ping-asia.lab.test', 'mesh-port-reachable', 'dns-vpn.lab.test']) {
			assert.ok(checks.some(check => check.id === id && check.status === 'pass'), `check ${id} passed: ${JSON.stringify(checks)}`);
		}
	});

	test('the mesh is up on wireguard-go and every host pings every other across it', async () => {
		for (const [index, host] of lab.hosts.entries()) {
			const mode = await host.exec('stat -c %a /etc/wireguard/wg-mesh.conf; pgrep -x wireguard-go >/dev/null && echo wireguard-go; wg show wg-mesh listen-port');
			assert.equal(mode.stdout, '600\nwireguard-go\n7000\n');
			for (const [other, address] of meshIps.entries()) {
				if (other !== index) {
					const ping = await host.exec(`ping -n -q -c 2 -i 0.2 -W 2 ${address}`, {timeoutMs: 15_000});
					assert.equal(ping.exitCode, 0, `${host.alias} → ${address}: ${ping.stdout}${ping.stderr}`);
				}
			}

			const rules = await host.exec('iptables -S WAYMARK-MESH; iptables -S INPUT | grep WAYMARK');
			const peers = lab.hosts.filter((_, other) => other !== index).map(peer => `-A WAYMARK-MESH -s ${peer.address!}/32 -p udp -m udp --dport 7000 -j ACCEPT`);
			assert.equal(rules.stdout, ['-N WAYMARK-MESH', ...peers, '-A WAYMARK-MESH -p udp -m udp --dport 7000 -j DROP', '-A INPUT -p udp -m udp --dport 7000 -j WAYMARK-MESH', ''].join('\n'));
			assert.match(readFileSync(join(host.upperDir, 'etc/iptables/rules.v4'), 'utf8'), /-A WAYMARK-MESH -p udp -m udp --dport 7000 -j DROP/);
		}

		const profiles = parse(readFileSync(join(lab.hosts[0]!.upperDir, 'etc/waymark/vpn-multinode/vpn-profiles.yaml'), 'utf8')) as {vpnProfiles: Record<string, {managementIp: string}>};
		assert.deepEqual(Object.entries(profiles.vpnProfiles).map(([name, profile]) => [name, profile.managementIp]), [['europe', '10.42.42.2'], ['asia', '10.42.42.3']]);
	});

	test('a second run reports changed: 0', async () => {
		const again = await waymark(['run', 'vpn-multinode', ...targets, '--answers', answers, '--yes', '--json'], env);
		outputs.push(String(again.stdout), String(again.stderr));
		assert.equal(again.exitCode, 0, String(again.stderr) + String(again.stdout).slice(-3000));
		const end = jsonEvents(String(again.stdout)).at(-1) as {counts: {changed: number; failed: number}};
		assert.equal(end.counts.changed, 0);
		assert.equal(end.counts.failed, 0);
	});

	test('the psk and the private keys never appear in output, transcripts or run state', async () => {
		const privateKeys = lab.hosts.map(host => /^PrivateKey = (\S+)$/m.exec(readFileSync(join(host.upperDir, 'etc/wireguard/wg-mesh.conf'), 'utf8'))?.[1] ?? '');
		assert.ok(privateKeys.every(key => key.length === 44));
		const psks = readdirSync(join(home, 'secrets'), {recursive: true, withFileTypes: true})
			.filter(entry => entry.isFile() && entry.name === 'vpn-multinode-psk')
			.map(entry => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
		assert.ok(psks.length >= 1 && psks.every(psk => /^[A-Za-z\d]{32}$/.test(psk)));
		const seen = [readAll(join(home, 'transcripts')), readAll(join(home, 'runs')), ...outputs, (await terminal?.screen().catch(() => '')) ?? ''].join('\n');
		for (const secret of [...privateKeys, ...psks]) {
			assert.ok(!seen.includes(secret), 'a secret leaked');
		}
	});

	test('with mesh: peervpn, the missing PeerVPN binary is said and the WireGuard mesh offered', async () => {
		const peervpn = join(base, 'peervpn.yaml');
		writeFileSync(peervpn, `${readFileSync(answers, 'utf8')}\nmesh: peervpn\n`);
		const refused = await waymark(['run', 'vpn-multinode', ...targets, '--answers', peervpn, '--yes', '--json'], env);
		assert.equal(refused.exitCode, 1);
		const failed = jsonEvents(String(refused.stdout)).find(event => event.type === 'step-end' && event['status'] === 'failed') as {stepId: string; message: string; remedy: string};
		assert.equal(failed.stepId, 'peervpn-config-controller');
		assert.match(failed.message, /PeerVPN is not installed on ssh:mesh1: it is unmaintained since 2016/);
		assert.match(failed.remedy, /set `mesh: wireguard`/);
	});
});
