// The OpenVPN wizards against offline images (root:DIR targets), through the real CLI: the run ends done with the
// files written and every step that needs the live host deferred and listed in the summary; nothing fails because
// a daemon cannot be asked (it once ended "OpenVPN server is running (daemon: unknown)"); a second run and check agree.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {stringify} from 'yaml';
import {jsonEvents, waymark} from './cli.js';

interface OfflineCase {
	readonly wizard: string;
	readonly name: string;
	readonly roles: readonly string[];
	readonly answers: Record<string, unknown>;
	/** Step ids left for the live host, in run order. */
	readonly deferred: readonly string[];
	/** role → files the run must have written into that image, with their mode. */
	readonly files: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const cases: readonly OfflineCase[] = [
	{
		wizard: 'openvpn-p2p',
		name: 'TLS with pinned fingerprints',
		roles: ['server', 'client'],
		answers: {serverPublicAddress: '192.0.2.1'},
		deferred: ['server-openvpn', 'server-service', 'client-openvpn', 'client-masquerade', 'client-service'],
		files: {
			server: {
				'/etc/openvpn/server/mistio/server.key': 0o600,
				'/etc/openvpn/server/mistio/tls-crypt.key': 0o600,
				'/etc/openvpn/server/mistio.conf': 0o644,
				'/etc/openvpn/server/mistio/up.sh': 0o755,
			},
			client: {'/etc/openvpn/client/mistio/client.key': 0o600, '/etc/openvpn/client/mistio.conf': 0o644, '/etc/sysctl.d/90-waymark-openvpn-p2p.conf': 0o644},
		},
	},
	{
		wizard: 'openvpn-p2p',
		name: "the guide's static key",
		roles: ['server', 'client'],
		answers: {serverPublicAddress: '192.0.2.1', mode: 'static-key'},
		deferred: ['server-openvpn', 'server-service', 'client-openvpn', 'client-masquerade', 'client-service'],
		files: {server: {'/etc/openvpn/server/mistio/static.key': 0o600}, client: {'/etc/openvpn/client/mistio/static.key': 0o600}},
	},
	{
		wizard: 'cloudpipe',
		name: 'project CA and payload',
		roles: ['network-host', 'vpn'],
		answers: {publicIp: '192.0.2.1', vpnIp: '10.0.0.2', clients: ['alice']},
		deferred: ['network-packages', 'network-port-forward', 'vpn-openvpn', 'vpn-image', 'vpn-security-group'],
		files: {
			'network-host': {'/var/lib/waymark/cloudpipe/user-data.b64': 0o600},
			vpn: {
				'/var/lib/waymark/cloudpipe/user-data.b64': 0o600,
				'/usr/local/sbin/cloudpipe-fetch': 0o755,
				'/etc/systemd/system/cloudpipe-payload.service': 0o644,
			},
		},
	},
];

type NotDone = {stepId: string; status: string; message: string};

function runEnd(stdout: string): {status: string; counts: Record<string, number>; notDone: NotDone[]} {
	const end = jsonEvents(stdout).at(-1) as {type: string; status: string; counts: Record<string, number>; notDone: NotDone[]} | undefined;
	assert.equal(end?.type, 'run-end', stdout.slice(-3000));
	return end;
}

for (const spec of cases) {
	describe(`${spec.wizard} (${spec.name}) on offline images`, () => {
		const base = mkdtempSync(join(tmpdir(), `waymark-offline-${spec.wizard}-`));
		const env = {WAYMARK_HOME: join(base, 'home')};
		const roots = Object.fromEntries(spec.roles.map(role => [role, join(base, role)]));
		for (const dir of Object.values(roots)) {
			mkdirSync(dir);
		}

		const answers = join(base, 'answers.yaml');
		writeFileSync(answers, stringify(spec.answers));
		const args = [...spec.roles.flatMap(role => ['--target', `${role}=root:${roots[role]}`]), '--answers', answers];
		after(() => {
			rmSync(base, {recursive: true, force: true});
		});

		test('the run ends done, the files are in the images, and what needs the live host is deferred with the reason', async () => {
			const result = await waymark(['run', spec.wizard, ...args, '--yes', '--json'], env);
			const end = runEnd(String(result.stdout));
			assert.equal(end.status, 'done', JSON.stringify(end.notDone));
			assert.equal(result.exitCode, 0, String(result.stderr));
			assert.equal(end.counts['failed'], 0);
			assert.deepEqual(
				end.notDone.map(step => `${step.stepId} ${step.status}`),
				spec.deferred.map(id => `${id} deferred`),
			);
			for (const step of end.notDone) {
				assert.match(step.message, /live host/, `${step.stepId} says what it waits for`);
			}

			for (const [role, files] of Object.entries(spec.files)) {
				for (const [path, mode] of Object.entries(files)) {
					assert.equal(statSync(join(roots[role]!, path)).mode & 0o777, mode, `${role} ${path}`);
				}
			}
		});

		test('a second run changes nothing and lists the same deferred steps in its summary', async () => {
			const result = await waymark(['run', spec.wizard, ...args, '--yes', '--plain'], env);
			const out = String(result.stdout);
			assert.equal(result.exitCode, 0, out.slice(-3000) + String(result.stderr));
			assert.match(out, /Done: \d+ ok, 0 changed, 0 failed, 0 skipped, \d+ deferred/);
			assert.match(out, new RegExp(`Not done here \\(${spec.deferred.length}\\):`));
			assert.doesNotMatch(out, /daemon: unknown.*failed|Failed:/);
		});

		test('waymark runs lists the work that waits for the live host, step by step, with what to do', async () => {
			const listed = await waymark(['runs'], env);
			const lines = String(listed.stdout).split('\n');
			const last = lines.findLastIndex(line => line.startsWith(`${spec.wizard}-`));
			const waiting = lines.slice(last + 1).filter(line => line.startsWith('  waits: '));
			assert.deepEqual(
				waiting.map(line => /^ {2}waits: ([\w-]+)@/.exec(line)?.[1]),
				spec.deferred,
				String(listed.stdout),
			);
			const json = JSON.parse(String((await waymark(['runs', '--json'], env)).stdout)) as Array<{waiting: Array<{unit: string; remedy?: string}>}>;
			assert.ok(
				json.at(-1)?.waiting.every(item => item.remedy !== undefined && item.remedy !== ''),
				'each says what to do',
			);
		});

		test('check fails nothing: checks that need the live host are deferred', async () => {
			const result = await waymark(['check', spec.wizard, ...args, '--json'], env);
			const findings = jsonEvents(String(result.stdout)) as Array<{stepId: string; id: string; status: string; evidence: string}>;
			assert.ok(findings.length > 0, String(result.stderr));
			assert.deepEqual(
				findings.filter(finding => finding.status === 'fail').map(finding => `${finding.id}: ${finding.evidence}`),
				[],
			);
			assert.equal(result.exitCode, 0);
			const deferred = new Set(findings.filter(finding => finding.status === 'deferred').map(finding => finding.stepId));
			assert.deepEqual([...deferred].sort(), [...spec.deferred].sort());
			for (const running of findings.filter(finding => /-running$/.test(finding.id))) {
				assert.equal(running.evidence, 'no running system to ask (offline target)', running.id);
			}
		});
	});
}
