// `waymark export ansible` on every guide, through the real CLI: the project passes real Ansible's syntax check and
// ansible-lint's production profile, every step is accounted for (exported, partly, or not, with why), and no key,
// psk or password sits in plain text in the tree: key material stays in the vault on this machine.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {execa} from 'execa';
import {stringify} from 'yaml';
import {wizards} from '../../wizards/index.js';
import {ansibleSkipReason} from '../lab/packages.js';
import {waymark} from './cli.js';
import {answersOf} from './guide-answers.js';

const skip = await ansibleSkipReason();
const base = mkdtempSync(join(tmpdir(), 'waymark-export-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

/** Every file under a directory, by path relative to it. */
function filesUnder(dir: string): string[] {
	return readdirSync(dir, {recursive: true})
		.map(String)
		.filter(path => statSync(join(dir, path)).isFile());
}

/** Text that would be key material or a secret answer if it were in the tree. */
const secretMarks = [/PRIVATE KEY-----/, /BEGIN OpenVPN Static key/, /^[A-Za-z0-9+/]{43}=$/m];

describe('waymark export ansible', {skip}, () => {
	for (const wizard of wizards) {
		test(`${wizard.id}: a project that Ansible's syntax check and ansible-lint pass, every step accounted for, nothing secret in it`, async () => {
			const dir = join(base, wizard.id);
			mkdirSync(dir, {recursive: true});
			const vault = join(dir, 'vault');
			const answers = join(dir, 'answers.yml');
			writeFileSync(answers, stringify({...answersOf[wizard.id], ...(wizard.params.some(param => param.name === 'vault') ? {vault} : {})}));
			const env = {WAYMARK_HOME: join(dir, 'home')};
			const out = join(dir, 'project');
			const made = await waymark(['export', 'ansible', wizard.id, '--answers', answers, '--out', out], env);
			assert.equal(made.exitCode, 0, made.stderr);
			assert.match(made.stdout, new RegExp(`^${wizard.id} as Ansible: \\d+ of ${wizard.steps.length} steps exported whole`, 'm'));
			assert.match(made.stdout, new RegExp(`cd ${out} && ansible-playbook site.yml --check --diff`));
			for (const step of wizard.steps) {
				assert.match(made.stdout, new RegExp(`^[✔◐✗] ${step.id} +(exported|partly|not exported)$`, 'm'), `${step.id} is in the report`);
			}

			const files = filesUnder(out);
			for (const name of ['site.yml', 'inventory.ini', 'group_vars/all.yml', 'ansible.cfg', 'README.md']) {
				assert.ok(files.includes(name), `${name} in ${files.join(', ')}`);
			}

			// Each step that is not exported says so in the play itself, by its id.
			const playbook = readFileSync(join(out, 'site.yml'), 'utf8');
			for (const step of wizard.steps) {
				assert.match(playbook, new RegExp(`name: "?\\[${step.id}\\] `), `${step.id} has a task in site.yml`);
			}

			for (const file of files) {
				const text = readFileSync(join(out, file), 'utf8');
				for (const mark of secretMarks) {
					assert.doesNotMatch(text, mark, `${file} holds no key material`);
				}
			}

			const syntax = await execa('ansible-playbook', ['--syntax-check', 'site.yml'], {cwd: out, reject: false, all: true, env: {ANSIBLE_NOCOLOR: '1'}});
			assert.equal(syntax.exitCode, 0, String(syntax.all));
			const lint = await execa('ansible-lint', ['--nocolor', '--offline', '-p', 'site.yml'], {cwd: out, reject: false, all: true, timeout: 300_000});
			assert.equal(lint.exitCode, 0, String(lint.all));

			// --check writes nothing and prints the same report.
			const check = await waymark(['export', 'ansible', wizard.id, '--answers', answers, '--check'], env);
			assert.equal(check.exitCode, 0, check.stderr);
			assert.equal(check.stdout, made.stdout.slice(0, made.stdout.indexOf('\n\nWrote ')));
		});
	}

	test("with --vault-password-file the project carries the key material encrypted with Ansible Vault, and it decrypts to the vault's bytes", async () => {
		const dir = join(base, 'carried');
		mkdirSync(dir, {recursive: true});
		const vault = join(dir, 'vault');
		const answers = join(dir, 'answers.yml');
		writeFileSync(answers, stringify({...answersOf['uwsgi-node'], vault}));
		const password = join(dir, 'vault-password');
		writeFileSync(password, 'correct horse battery staple\n', {mode: 0o600});
		const out = join(dir, 'project');
		const env = {WAYMARK_HOME: join(dir, 'home')};
		const made = await waymark(['export', 'ansible', 'uwsgi-node', '--answers', answers, '--out', out, '--vault-password-file', password], env);
		assert.equal(made.exitCode, 0, made.stderr);
		assert.match(made.stdout, new RegExp(`ansible-playbook site\\.yml --check --diff --vault-password-file ${password}$`, 'm'));
		const vars = readFileSync(join(out, 'vars/vault.yml'), 'utf8');
		assert.match(vars, /^waymark_vault_0: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256$/m);
		assert.equal(statSync(join(out, 'vars/vault.yml')).mode & 0o777, 0o600);
		for (const file of filesUnder(out)) {
			for (const mark of secretMarks) {
				assert.doesNotMatch(readFileSync(join(out, file), 'utf8'), mark, `${file} holds no key material in plain text`);
			}
		}

		// The tasks use the variable, not a lookup of a file only the exporting machine has.
		const playbook = readFileSync(join(out, 'site.yml'), 'utf8');
		assert.doesNotMatch(playbook, /lookup\('ansible\.builtin\.file'/);
		assert.match(playbook, /vars_files:\n\s+- vars\/vault\.yml/);
		const syntax = await execa('ansible-playbook', ['--syntax-check', 'site.yml', '--vault-password-file', password], {cwd: out, reject: false, all: true});
		assert.equal(syntax.exitCode, 0, String(syntax.all));
		// Decrypted by Ansible itself, the value is the vault file byte for byte.
		const decrypted = join(dir, 'decrypted');
		const copy = await execa(
			'ansible',
			[
				'localhost',
				'-m',
				'ansible.builtin.copy',
				'-a',
				`content={{ waymark_vault_0 }} dest=${decrypted}`,
				'-e',
				'@vars/vault.yml',
				'--vault-password-file',
				password,
			],
			{cwd: out, reject: false, all: true, env: {ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false'}},
		);
		assert.equal(copy.exitCode, 0, String(copy.all).replaceAll(/-----BEGIN[\s\S]*?-----END[^-]*-----/g, '[key]'));
		const kept = readdirSync(join(vault, 'uwsgi-node'), {recursive: true})
			.map(String)
			.find(name => name.endsWith('.pem'));
		assert.ok(readFileSync(decrypted).equals(readFileSync(join(vault, 'uwsgi-node', kept ?? ''))), 'the decrypted value is the vault file');
		const missing = await waymark(
			['export', 'ansible', 'uwsgi-node', '--answers', answers, '--out', join(dir, 'other'), '--vault-password-file', join(dir, 'nope')],
			env,
		);
		assert.equal(missing.exitCode, 2);
		assert.match(missing.stderr, /--vault-password-file .*nope: no such file/);
	});

	test('a directory that holds something else is refused, and missing answers are named; nothing is written', async () => {
		const dir = join(base, 'refused');
		mkdirSync(join(dir, 'taken'), {recursive: true});
		writeFileSync(join(dir, 'taken', 'notes.txt'), 'mine\n');
		const env = {WAYMARK_HOME: join(dir, 'home')};
		const answers = join(dir, 'answers.yml');
		writeFileSync(answers, stringify({...answersOf['uwsgi-node'], vault: join(dir, 'vault')}));
		const taken = await waymark(['export', 'ansible', 'uwsgi-node', '--answers', answers, '--out', join(dir, 'taken')], env);
		assert.equal(taken.exitCode, 2);
		assert.match(taken.stderr, /is not empty and holds no earlier export, so nothing was written/);
		assert.deepEqual(readdirSync(join(dir, 'taken')), ['notes.txt']);
		const missing = await waymark(['export', 'ansible', 'uwsgi-node', '--out', join(dir, 'new')], env);
		assert.equal(missing.exitCode, 2);
		assert.match(missing.stderr, /publicIp: missing/);
		assert.match(missing.stderr, /waymark answers uwsgi-node > answers\.yml/);
		const other = await waymark(['export', 'puppet', 'uwsgi-node'], env);
		assert.equal(other.exitCode, 2);
		assert.match(other.stderr, /Waymark exports to Ansible only/);
	});
});
