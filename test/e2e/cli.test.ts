// The command-line contract: list, answers, usage errors, bad input, dry runs. No lab needed.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {parse} from 'yaml';
import {jsonEvents, waymark} from './cli.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-cli-'));
const env = {WAYMARK_HOME: join(base, 'home')};

after(() => {
	rmSync(base, {recursive: true, force: true});
});

test('list names every guide with its roles and step count', async () => {
	const result = await waymark(['list', '--json'], env);
	assert.equal(result.exitCode, 0);
	const rows = JSON.parse(String(result.stdout)) as Array<{id: string; roles: string[]; steps: number}>;
	const node = rows.find(row => row.id === 'uwsgi-node');
	assert.deepEqual(node && {roles: node.roles, steps: node.steps > 10}, {roles: ['node'], steps: true});
});

test("list --json carries each guide's instructions that no step carries out, each with its reason", async () => {
	const result = await waymark(['list', '--json'], env);
	const rows = JSON.parse(String(result.stdout)) as Array<{id: string; notDoneHere: Array<{instruction: string; reason: string}>}>;
	const cloudpipe = rows.find(row => row.id === 'cloudpipe');
	const launch = cloudpipe?.notDoneHere.find(item => item.instruction.includes('nova-manage vpn run'));
	assert.match(launch?.reason ?? '', /Waymark does not create machines: launch the VPN instance with your cloud/);
	const plain = await waymark(['list'], env);
	assert.match(String(plain.stdout), /^cloudpipe .*; \d+ of the guide's instructions not done here\)$/m);
	assert.match(String(plain.stdout), /What is not done, and why: the guide overview in `waymark`, or `waymark list --json`\./);
});

test('answers writes valid YAML with every param and its help', async () => {
	const result = await waymark(['answers', 'uwsgi-node'], env);
	assert.equal(result.exitCode, 0);
	const text = String(result.stdout);
	const data = parse(text) as Record<string, unknown>;
	assert.equal(data.tuntapPort, '999');
	assert.deepEqual(data.peerNodes, []);
	assert.equal(data.publicIp, null);
	assert.match(text, /# This node's public IPv4 address/);
	assert.match(text, /publicIp: {2}# required/);
});

test('--help explains targets, flags and exit codes', async () => {
	const result = await waymark(['--help'], env);
	assert.equal(result.exitCode, 0);
	for (const text of ['ssh:[USER@]HOST[:PORT]', 'root:DIR', '--dry-run', '--answers FILE', 'Exit codes', 'WAYMARK_HOME']) {
		assert.ok(String(result.stdout).includes(text), text);
	}
});

test('unknown commands and guides exit 2 with what to type next', async () => {
	const unknown = await waymark(['frobnicate'], env);
	assert.equal(unknown.exitCode, 2);
	assert.match(String(unknown.stderr), /Unknown command "frobnicate"[\s\S]*waymark --help/);
	const guide = await waymark(['run', 'nope'], env);
	assert.equal(guide.exitCode, 2);
	assert.match(String(guide.stderr), /Known guides: .*uwsgi-node/);
});

test('bad input exits 2 naming every bad field, and nothing runs', async () => {
	const answers = join(base, 'bad.yaml');
	writeFileSync(
		answers,
		[
			'publicIp: "192.0.2.300"',
			'apiDomain: "$(reboot).example.com"',
			'tuntapPort: "99999"',
			'peerNodes: ["192.0.2.2", "10.0.0.1; rm -rf /"]',
			'vassalEnv: ["LANG=\'x\'"]',
			'pamLine: "session required pam_unbit.so\\nauth sufficient pam_permit.so"',
			'quotaMount: "relative/path"',
		].join('\n'),
	);
	const result = await waymark(['run', 'uwsgi-node', '--target', 'local', '--answers', answers, '--yes', '--json'], env);
	assert.equal(result.exitCode, 2);
	const stderr = String(result.stderr);
	for (const field of ['publicIp', 'apiDomain', 'tuntapPort', 'peerNodes', 'vassalEnv', 'pamLine', 'quotaMount']) {
		assert.match(stderr, new RegExp(`- ${field}: .*expected`), field);
	}

	assert.equal(String(result.stdout), '', 'no event was emitted');
	assert.equal(existsSync(join(env.WAYMARK_HOME, 'transcripts')), false, 'no transcript: no command ran');
});

test('--yes with missing answers lists every missing param', async () => {
	const result = await waymark(['run', 'uwsgi-node', '--target', 'local', '--yes'], env);
	assert.equal(result.exitCode, 2);
	assert.match(String(result.stderr), /publicIp: missing[\s\S]*apiDomain: missing/);
});

test('a bad target spec names the expected form', async () => {
	const result = await waymark(['run', 'uwsgi-node', '--target', 'ftp:host', '--yes'], env);
	assert.equal(result.exitCode, 2);
	assert.match(String(result.stderr), /"ftp:host": unknown kind of target; expected local, ssh:\[USER@\]HOST\[:PORT\] or root:DIR/);
});

test('--dry-run on an offline root shows plans and diffs, changes nothing and saves nothing', async () => {
	const root = join(base, 'image');
	mkdirSync(join(root, 'etc/ssh'), {recursive: true});
	writeFileSync(join(root, 'etc/ssh/sshd_config'), 'Include /etc/ssh/sshd_config.d/*.conf\n#PasswordAuthentication yes\n');
	const answers = join(base, 'good.yaml');
	writeFileSync(answers, 'publicIp: 192.0.2.10\napiDomain: node1.example.test\nnssModule: ""\npamLine: ""\nuwsgiItSource: ""\n');
	const result = await waymark(['run', 'uwsgi-node', '--target', `root:${root}`, '--answers', answers, '--yes', '--dry-run', '--json'], env);
	assert.equal(result.exitCode, 0, String(result.stderr));
	const events = jsonEvents(String(result.stdout));
	const plans = events.filter(event => event.type === 'plan');
	const text = JSON.stringify(plans);
	assert.match(text, /\+\+\+ b\/etc\/ssh\/sshd_config\.d\/00-waymark\.conf/);
	assert.match(text, /\+PasswordAuthentication no/);
	assert.match(text, /content not shown/, 'the TLS key is masked');
	assert.ok(!text.includes('PRIVATE KEY'));
	assert.deepEqual(readdirSync(root).sort(), ['etc']);
	assert.deepEqual(readdirSync(join(root, 'etc/ssh')), ['sshd_config']);
	assert.equal(readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8'), 'Include /etc/ssh/sshd_config.d/*.conf\n#PasswordAuthentication yes\n');
	assert.equal(existsSync(join(env.WAYMARK_HOME, 'runs')) && readdirSync(join(env.WAYMARK_HOME, 'runs')).length > 0, false);
	assert.equal((events.at(-1) as {type: string; status: string}).status, 'done');
});

test('a mistyped flag, command or guide is named with the nearest real one', async () => {
	for (const [args, expected] of [
		[['run', 'uwsgi-node', '--taget', 'local'], /Unknown option --taget\. Did you mean --target\?/],
		[['chek', 'uwsgi-node'], /Unknown command "chek"\. Did you mean check\?/],
		[['run', 'uwsgi-nod'], /Unknown guide "uwsgi-nod"\. Did you mean uwsgi-node\?/],
	] as const) {
		const result = await waymark(args, env);
		assert.equal(result.exitCode, 2, String(result.stderr));
		assert.match(String(result.stderr), expected);
	}
});

test('--save-answers writes the answers a run used, secrets left out, and the file replays to the same plans', async () => {
	const root = join(base, 'save-image');
	mkdirSync(join(root, 'etc/ssh'), {recursive: true});
	writeFileSync(join(root, 'etc/ssh/sshd_config'), 'Include /etc/ssh/sshd_config.d/*.conf\n');
	const given = join(base, 'given.yaml');
	writeFileSync(given, 'serverPublicAddress: 198.51.100.7\nnginx: true\nauthPassword: "a secret pass"\n');
	const saved = join(base, 'saved.yaml');
	const targets = ['--target', `server=root:${root}`, '--target', `client=root:${root}-client`];
	const first = await waymark(['run', 'openvpn-p2p', ...targets, '--answers', given, '--save-answers', saved, '--dry-run', '--yes', '--plain'], env);
	assert.equal(first.exitCode, 0, String(first.stderr));
	const text = readFileSync(saved, 'utf8');
	assert.match(text, /^serverPublicAddress: "198\.51\.100\.7"$/m);
	assert.match(text, /^nginx: true$/m);
	assert.match(text, /^# authPassword: asked at run time/m);
	assert.ok(!text.includes('a secret pass'));
	// Replayed with the secret given again, the plans are the same.
	writeFileSync(saved, `${text}authPassword: "a secret pass"\n`);
	const again = await waymark(['run', 'openvpn-p2p', ...targets, '--answers', saved, '--dry-run', '--yes', '--plain'], env);
	assert.equal(again.exitCode, 0, String(again.stderr));
	// A dry run keeps no keys (the vault is in memory), so each makes its own throwaway certificates: masked here.
	const plans = (output: string) =>
		output
			.replace(/openvpn-p2p-\d{8}-\d{6}-[0-9a-f]{4}/g, 'RUN')
			.replace(/\d+ bytes/g, 'N bytes')
			.replace(/\b[0-9A-F]{2}(:[0-9A-F]{2}){31}\b/g, 'FINGERPRINT')
			// Certificate bodies: every base64 line goes (a DER a byte longer or shorter is a line more or less), and
			// with them the line counts of those files.
			.replace(/^\s+\+[A-Za-z0-9+/=]+\n/gm, '')
			.replace(/\+\d+ -\d+/g, '+N -M')
			.replace(/@@ -0,0 \+1,\d+ @@/g, '@@ -0,0 +1,N @@');
	assert.equal(plans(String(again.stdout)), plans(String(first.stdout)));
});
