// NSS and PAM for real: modules built from git sources by `make` on the lab host, added only once installed,
// a missing module refused, and a module that breaks logins rolled back by the lockout guard.
import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {execa} from 'execa';
import {createLabHost, type LabHost} from '../lab/lab-host.js';
import {labSkipReason} from '../lab/packages.js';
import {jsonEvents, repoRoot, waymark} from './cli.js';

const skip = await labSkipReason();
const sources = mkdtempSync('/var/tmp/waymark-modules-');
const env = {WAYMARK_HOME: join(sources, 'home')};

async function gitRepo(name: string, from: string, edit?: (dir: string) => void): Promise<string> {
	const dir = join(sources, name);
	cpSync(join(repoRoot, 'test/fixtures/modules', from), dir, {recursive: true});
	edit?.(dir);
	const git = async (...args: string[]) => execa('git', ['-c', 'user.name=waymark-test', '-c', 'user.email=test@waymark.invalid', ...args], {cwd: dir});
	await git('init', '-q');
	await git('add', '.');
	await git('commit', '-q', '-m', 'module');
	return `/srv/src/${name}`;
}

describe('NSS and PAM modules', {skip}, () => {
	let lab: LabHost;
	let nssSource = '';
	let pamSource = '';
	let refusingSource = '';
	let pamBefore = '';

	before(async () => {
		nssSource = await gitRepo('nss', 'nss-waymarkdemo');
		pamSource = await gitRepo('pam', 'pam-waymarkdemo');
		refusingSource = await gitRepo('pam-refusing', 'pam-waymarkdemo', dir => {
			const makefile = join(dir, 'Makefile');
			writeFileSync(
				makefile,
				readFileSync(makefile, 'utf8').replace('NAME ?= pam_waymarkdemo', 'NAME ?= pam_wmrefuse').replace('CFLAGS_EXTRA ?=', 'CFLAGS_EXTRA ?= -DREFUSE'),
			);
		});
		lab = await createLabHost({name: 'nss-pam'});
		// The lab is a bare image and reaches no network: the sources go onto it, the compilers come from the packages step.
		cpSync(sources, join(lab.rootDir, 'srv/src'), {recursive: true});
		const tools = await run({nssModule: '', pamLine: ''}, 'packages');
		assert.equal(tools.exitCode, 0, JSON.stringify(tools.failed));
		pamBefore = (await lab.exec('cat /etc/pam.d/sshd')).stdout;
	});

	after(async () => {
		await lab?.destroy();
		rmSync(sources, {recursive: true, force: true});
	});

	async function run(answers: Record<string, string>, only = 'nss-module,pam-session') {
		const file = join(sources, 'answers.yaml');
		writeFileSync(
			file,
			Object.entries({publicIp: '192.0.2.40', apiDomain: 'modules.example.test', ...answers})
				.map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
				.join('\n'),
		);
		const result = await waymark(
			['run', 'uwsgi-node', '--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', file, '--only', only, '--yes', '--json'],
			env,
		);
		const events = jsonEvents(String(result.stdout));
		const failed = events.find(event => event.type === 'step-end' && event.status === 'failed') as {message: string; remedy: string} | undefined;
		return {exitCode: result.exitCode, events, failed, end: events.at(-1) as {counts: {changed: number; failed: number}}};
	}

	test('a required line for a module that is not installed is refused; nothing changes', async () => {
		const {exitCode, failed} = await run({nssModule: '', pamLine: 'session required pam_nothere.so', pamSource: ''});
		assert.equal(exitCode, 1);
		assert.match(failed?.message ?? '', /^Refused: pam_nothere\.so is not installed/);
		assert.equal((await lab.exec('cat /etc/pam.d/sshd')).stdout, pamBefore);
	});

	test('a module that breaks every login is built, tried, and rolled back by itself', async () => {
		const {exitCode, failed} = await run({nssModule: '', pamLine: 'session required pam_wmrefuse.so', pamSource: refusingSource});
		assert.equal(exitCode, 1);
		assert.match(failed?.message ?? '', /new login to ssh:nss-pam failed, so the previous settings were restored/);
		assert.equal((await lab.exec('test -e /lib/x86_64-linux-gnu/security/pam_wmrefuse.so; echo $?')).stdout, '0\n', 'it was really built and installed');
		assert.equal((await lab.exec('cat /etc/pam.d/sshd')).stdout, pamBefore);
		assert.equal((await lab.ssh('true')).exitCode, 0, 'the operator can still log in');
	});

	test('working modules are built from source, named in nsswitch.conf and the sshd PAM stack, and a re-run changes nothing', async () => {
		const answers = {nssModule: 'waymarkdemo', nssSource, pamLine: 'session required pam_waymarkdemo.so', pamSource};
		const first = await run(answers);
		assert.equal(first.exitCode, 0, JSON.stringify(first.failed));
		assert.equal((await lab.exec('getent passwd wmdemo')).stdout, 'wmdemo:x:4242:4242:wmdemo:/containers/wmdemo:/bin/sh\n');
		assert.match((await lab.exec('grep ^passwd: /etc/nsswitch.conf')).stdout, /^passwd:\s+files waymarkdemo( systemd)?$/m);
		const pam = (await lab.exec('cat /etc/pam.d/sshd')).stdout;
		assert.match(pam, /pam_env\.so[^\n]*envfile=\/etc\/default\/locale\n# waymark: added\nsession required pam_waymarkdemo\.so\n/);
		assert.equal((await lab.ssh('true')).exitCode, 0);
		const again = await run(answers);
		assert.equal(again.exitCode, 0);
		assert.equal(again.end.counts.changed, 0);
	});

	test('a module that starts refusing sessions while every file stays right: check and run say so, and neither calls it a lost link', async () => {
		// The working module's file is swapped for the refusing build: nsswitch.conf, the PAM file and the module path are unchanged.
		const security = '/lib/x86_64-linux-gnu/security';
		await lab.exec(`cp ${security}/pam_waymarkdemo.so /root/pam_waymarkdemo.so.good && cp ${security}/pam_wmrefuse.so ${security}/pam_waymarkdemo.so`);
		const answers = {nssModule: 'waymarkdemo', nssSource, pamLine: 'session required pam_waymarkdemo.so', pamSource};
		try {
			const file = join(sources, 'answers.yaml');
			const check = await waymark(['check', 'uwsgi-node', '--target', `ssh:${lab.alias}`, '--ssh-config', lab.sshConfig, '--answers', file, '--json'], env);
			assert.equal(check.exitCode, 1);
			// Waymark's own connection is a new login: the host ends it, and the finding says where to look.
			const failing = jsonEvents(String(check.stdout)).filter(finding => finding['status'] === 'fail');
			assert.ok(
				failing.some(finding =>
					/the host ended the session before its shell started \(exit \d+, nothing said\): a PAM session module/.test(String(finding['evidence'])),
				),
				String(check.stdout),
			);
			const {exitCode, failed, events} = await run(answers, 'pam-session');
			assert.equal(exitCode, 1, `a refused session is a failure to fix at the host, not a lost link to resume: ${JSON.stringify(events.at(-1))}`);
			assert.match(`${failed?.message ?? ''} ${JSON.stringify(events.at(-1))}`, /ended the session before its shell started/);
		} finally {
			await lab.exec(`cp /root/pam_waymarkdemo.so.good ${security}/pam_waymarkdemo.so`);
		}

		const healed = await run(answers, 'pam-session');
		assert.equal(healed.exitCode, 0, JSON.stringify(healed.failed));
		const login = healed.events.find(event => event.type === 'check' && (event as {check?: {id: string}}).check?.id === 'fresh-login') as
			| {check: {status: string}}
			| undefined;
		assert.equal(login?.check.status, 'pass', 'the run proves a new login opens a session');
	});
});
