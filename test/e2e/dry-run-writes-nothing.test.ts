// A dry run of every guide, on offline images of every role, writes nothing anywhere: not under WAYMARK_HOME (no
// run, no transcript, no secrets, no answers), not in the vault (no CA, certificate, key or profile made for
// real), not in the images. It still shows the plans, and what a real run would make is masked.
import assert from 'node:assert/strict';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {stringify} from 'yaml';
import {wizards} from '../../wizards/index.js';
import {repoRoot, waymark} from './cli.js';
import {answersOf} from './guide-answers.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-dry-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

/** Every file and directory under a path, relative to it. */
function everything(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir, {recursive: true}).map(String).sort() : [];
}

test('every guide has answers here', () => {
	assert.deepEqual(wizards.map(wizard => wizard.id).sort(), Object.keys(answersOf).sort());
});

for (const wizard of wizards) {
	test(`${wizard.id} --dry-run writes nothing under WAYMARK_HOME, in the vault or in the images`, async () => {
		const dir = join(base, wizard.id);
		const home = join(dir, 'home');
		const vault = join(dir, 'vault');
		const images = join(dir, 'images');
		const answers = join(dir, 'answers.yaml');
		mkdirSync(home, {recursive: true});
		const hasVault = wizard.params.some(param => param.name === 'vault');
		writeFileSync(answers, stringify({...answersOf[wizard.id], ...(hasVault ? {vault} : {})}));
		// Each image has the files a Debian server has and the guides edit; vpn-multinode's topology has two nodes.
		const names = wizard.roles.flatMap(role => (wizard.id === 'vpn-multinode' && role === 'node' ? ['node-1', 'node-2'] : [role]));
		for (const name of names) {
			mkdirSync(join(images, name, 'etc/ssh'), {recursive: true});
			mkdirSync(join(images, name, 'etc/pam.d'), {recursive: true});
			cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(images, name, 'etc/ssh/sshd_config'));
			cpSync(join(repoRoot, 'test/fixtures/pam/debian-12-sshd'), join(images, name, 'etc/pam.d/sshd'));
		}

		const before = everything(images);
		const targets = names.flatMap(name => ['--target', `${name.replace(/-\d$/, '')}=root:${join(images, name)}`]);
		const result = await waymark(['run', wizard.id, ...targets, '--answers', answers, '--yes', '--dry-run', '--plain'], {WAYMARK_HOME: home});
		assert.equal(result.exitCode, 0, `${String(result.stdout).slice(-2000)}\n${String(result.stderr)}`);
		assert.match(String(result.stdout), /Dry run: \d+ step\(s\) would change/);
		assert.doesNotMatch(String(result.stdout), /PRIVATE KEY/);
		assert.deepEqual(everything(home), [], 'nothing under WAYMARK_HOME');
		assert.equal(existsSync(vault), false, 'no vault made');
		assert.deepEqual(everything(images), before, 'the images are as they were');
	});
}
