// `waymark check` on a lab host: all pass when set up, each hand-made breakage named with its evidence and fix,
// and the host byte-for-byte unchanged by the check itself.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {stringify} from 'yaml';
import {selfSigned} from '../../source/keys/pki.js';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {execa} from 'execa';
import {repoRoot, waymark} from './cli.js';
import {etcDifferences, etcTree} from './guide-matrix.js';
import {installStandIns, labSource} from './lab-sources.js';

const skip = await labSkipReason();
const base = mkdtempSync(join(tmpdir(), 'waymark-check-'));
const env = {WAYMARK_HOME: join(base, 'home')};
const domain = 'check.example.test';

interface CheckLine {
	stepId: string;
	id: string;
	status: string;
	evidence: string;
	reason: string;
	fix?: string;
	fixCommand?: string;
}

describe('waymark check', {skip}, () => {
	let lab: LabHost;
	let fixCommands: string[] = [];
	let args: string[] = [];

	before(async () => {
		lab = await createLabHost({name: 'check'});
		await installStandIns(lab);
		const answers = join(base, 'answers.yaml');
		writeFileSync(
			answers,
			stringify({
				publicIp: '192.0.2.30',
				apiDomain: domain,
				peerNodes: ['192.0.2.31'],
				nssSource: labSource('nss-unbit'),
				pamSource: labSource('pam-unbit'),
				uwsgiItSource: labSource('uwsgi.it'),
			}),
		);
		const setup = await waymark(
			['run', 'uwsgi-node', '--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', answers, '--yes', '--json'],
			env,
		);
		assert.equal(setup.exitCode, 0, String(setup.stderr));
		// No --answers: check takes them from the saved run.
		args = ['check', 'uwsgi-node', '--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--json'];
	});

	after(async () => {
		await lab?.destroy();
		rmSync(base, {recursive: true, force: true});
	});

	async function check(): Promise<{exitCode: number; lines: CheckLine[]; stdout: string}> {
		const result = await waymark(args, env);
		const stdout = String(result.stdout);
		return {
			exitCode: result.exitCode ?? -1,
			stdout,
			lines: stdout
				.split('\n')
				.filter(Boolean)
				.map(line => JSON.parse(line) as CheckLine),
		};
	}

	test('a host set up by the wizard passes every check', async () => {
		const {exitCode, lines} = await check();
		// A container has no bootloader or clock of its own: those steps say so (n/a), nothing fails or waits.
		assert.deepEqual(
			lines.filter(line => line.status !== 'pass' && line.status !== 'n/a'),
			[],
		);
		assert.equal(exitCode, 0);
		assert.ok(lines.some(line => line.id === 'sshd-passwordauthentication'));
		assert.ok(lines.some(line => line.id === 'tls-expiry'));
	});

	test('hand-made breakage is named, with evidence and the step that fixes it; the host is unchanged by the check', async () => {
		const expired = await selfSigned({commonName: domain, kind: 'server', days: 1, now: new Date('2020-01-01T00:00:00Z')});
		writeFileSync(join(base, 'expired.crt'), expired.certificatePem);
		const broken = await lab.exec(
			[
				'set -e',
				// A duplicated firewall rule, as the guide's `-A` run twice would leave.
				'iptables -A WAYMARK-TUNTAP -s 192.0.2.31/32 -d 192.0.2.30/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
				// A line before Include wins over the drop-in: passwords are back on.
				"sed -i '1i PasswordAuthentication yes' /etc/ssh/sshd_config",
				// An NSS module named that is not installed.
				"sed -i 's/^passwd:.*/& ghost/' /etc/nsswitch.conf",
				'cat > /etc/uwsgi/ssl/uwsgi.it.crt',
			].join('\n'),
			{input: expired.certificatePem},
		);
		assert.equal(broken.exitCode, 0, broken.stderr);
		const before = await etcTree(lab);
		const rulesBefore = (await lab.exec('iptables-save | grep -v "^#" | sed -E "s/ \\[[0-9]+:[0-9]+\\]$//"')).stdout;
		const {exitCode, lines} = await check();
		assert.equal(exitCode, 1);
		const find = (id: string) => {
			const line = lines.find(each => each.id === id);
			assert.ok(line, `a finding ${id} in ${JSON.stringify(lines.map(each => each.id))}`);
			return line;
		};

		const firewall = find('tuntap-firewall:state');
		assert.equal(firewall.status, 'fail');
		assert.equal(firewall.fix, 'tuntap-firewall');
		assert.match(firewall.fixCommand ?? '', /^waymark run uwsgi-node --target ssh:check --ssh-config \S+ --answers \S+ --only tuntap-firewall$/);
		const password = find('sshd-passwordauthentication');
		fixCommands = [firewall.fixCommand!, password.fixCommand!];
		assert.equal(password.status, 'fail');
		assert.equal(password.evidence, 'sshd -T: passwordauthentication yes');
		assert.equal(password.fix, 'sshd-hardening');
		assert.match(find('sshd-hardening:state').evidence, /edit \/etc\/ssh\/sshd_config/);
		const nss = find('nss-passwd');
		// Not the module this run was asked to add, so a warning: glibc will skip it, nothing else breaks.
		assert.equal(nss.status, 'warn');
		assert.match(nss.evidence, /no libnss_ghost\.so\.2 installed/);
		assert.match(nss.reason, /skips a missing NSS module silently/);
		const tls = find('tls-expiry');
		assert.equal(tls.status, 'fail');
		assert.match(tls.evidence, /^expires 2020-01-02/);
		assert.deepEqual(etcDifferences(before, await etcTree(lab), []), [], 'check wrote nothing on the host');
		assert.equal((await lab.exec('iptables-save | grep -v "^#" | sed -E "s/ \\[[0-9]+:[0-9]+\\]$//"')).stdout, rulesBefore);
	});

	test('the fixes the check prints, pasted as printed, repair the host', async () => {
		// As an operator pastes them: through a shell, with `waymark` the project's own command (bin/waymark).
		for (const command of fixCommands) {
			const fix = await execa('sh', ['-c', `${command} --yes --json`], {
				cwd: repoRoot,
				env: {...env, CI: 'true', PATH: `${join(repoRoot, 'bin')}:${process.env['PATH'] ?? ''}`},
				reject: false,
				timeout: 300_000,
			});
			assert.equal(fix.exitCode, 0, `${command}\n${String(fix.stderr)}${String(fix.stdout).slice(-1500)}`);
		}

		const {lines} = await check();
		assert.deepEqual(
			lines
				.filter(line => line.status !== 'pass' && line.status !== 'n/a')
				.map(line => `${line.id} ${line.status}`)
				.sort(),
			['nss-passwd warn', 'tls-expiry fail'],
		);
	});
});
