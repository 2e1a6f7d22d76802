// The README's commands typed into a real shell in a real terminal, as a newcomer pastes them: `npx waymark answers …
// > FILE` writes nothing but YAML (npm's own banner would break it), the file is filled in and used, and the
// commands Waymark then prints are typed back as printed.
import assert from 'node:assert/strict';
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {parse} from 'yaml';
import {terminalSkipReason} from '../lab/packages.js';
import {repoRoot} from './cli.js';
import {startTerminal} from './terminal.js';

const skip = await terminalSkipReason();
const base = mkdtempSync(join(tmpdir(), 'waymark-readme-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

describe('the README in a shell', {skip}, () => {
	test('npx waymark answers > FILE is valid YAML; filled in, the run takes it; the resume and check commands it prints run as printed', async () => {
		const image = join(base, 'image');
		mkdirSync(join(image, 'etc/ssh'), {recursive: true});
		cpSync(join(repoRoot, 'test/fixtures/sshd/debian-12-sshd_config'), join(image, 'etc/ssh/sshd_config'));
		const answers = join(base, 'node1.yaml');
		const terminal = startTerminal({
			command: ['sh'],
			cwd: repoRoot,
			env: {WAYMARK_HOME: join(base, 'home'), PS1: '$ ', ENV: ''},
			columns: 120,
			rows: 40,
		});
		try {
			await terminal.type(`npx waymark answers uwsgi-node > ${answers}; echo "answers exit $?"\r`);
			await terminal.waitFor('answers exit 0', {timeoutMs: 60_000});
			const written = readFileSync(answers, 'utf8');
			assert.doesNotMatch(written, /^> /m, 'no npm banner in the file');
			const parsed = parse(written) as Record<string, unknown>;
			assert.ok('publicIp' in parsed, written);

			writeFileSync(answers, written.replace(/^publicIp:.*$/m, 'publicIp: 192.0.2.10').replace(/^apiDomain:.*$/m, 'apiDomain: node1.example.test'));
			// Stopped at the first confirmation (no --yes, no terminal answers it in --plain without stdin): it prints how to go on.
			await terminal.type(
				`npx waymark run uwsgi-node --target root:${image} --answers ${answers} --only sshd-hardening --plain < /dev/null; echo "run exit $?"\r`,
			);
			const stopped = await terminal.waitFor(/run exit \d+/, {timeoutMs: 60_000});
			const resume = /(waymark resume uwsgi-node-\S+)/.exec(stopped)?.[1];
			assert.ok(resume, stopped);
			await terminal.type(`npx ${resume} --yes; echo "resume exit $?"\r`);
			const resumed = await terminal.waitFor(/resume exit \d+/, {timeoutMs: 60_000});
			assert.match(resumed, /resume exit 0/, resumed);
			assert.match(readFileSync(join(image, 'etc/ssh/sshd_config.d/00-waymark.conf'), 'utf8'), /^PasswordAuthentication no$/m);
			// The finished run offers a read-only check of the same target; pasted, it runs (exit 1: the image is
			// only partly set up) instead of stopping at a usage error (exit 2).
			// The line may wrap at the terminal's width.
			const target = /waymark check uwsgi-node --target\s+(\S+)/.exec(resumed)?.[1];
			assert.ok(target, resumed);
			const check = `waymark check uwsgi-node --target ${target}`;
			await terminal.type(`clear; npx ${check} --plain; echo "check exit $?"\r`);
			const checked = await terminal.waitFor(/check exit \d+/, {timeoutMs: 60_000});
			assert.match(checked, /check exit 1/, checked);
			assert.match(checked, /\d+ pass, \d+ warn, [1-9]\d* fail/, checked);
		} finally {
			await terminal.close();
		}
	});
});
