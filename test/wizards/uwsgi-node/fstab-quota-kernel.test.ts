// The quota step's scripts against the real kernel and quota tools, on a loop-mounted ext4 in a private mount
// namespace: quotas end up on, or the kernel's refusal is recorded so the next read (check included) defers.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {command, quote} from '../../../source/targets/quote.js';
import {kernelQuotaProbe, legacyQuotaOptions, quotaOnScript} from '../../../wizards/uwsgi-node/fstab-quota.js';
import {requireTool, run} from '../../keys/real-tools.js';

test('quotaon on this kernel: either quotas are on, or the refusal is recorded and the probe says no', async t => {
	if (process.getuid?.() !== 0) {
		if (process.env['CI'] === 'true') {
			assert.fail('CI runs as root; this test needs loop mounts');
		}

		t.skip('needs root for a loop mount in a private mount namespace');
		return;
	}

	for (const [tool, pkg] of [
		['mkfs.ext4', 'e2fsprogs'],
		['quotacheck', 'quota'],
		['quotaon', 'quota'],
	] as const) {
		if (requireTool(t, tool, pkg) === undefined) {
			return;
		}
	}

	const dir = mkdtempSync(join(tmpdir(), 'waymark-quota-'));
	try {
		const image = join(dir, 'fs.img');
		const mountpoint = join(dir, 'mnt');
		const made = await run('sh', ['-c', `truncate -s 32M ${quote(image)} && mkfs.ext4 -q -F ${quote(image)} && mkdir ${quote(mountpoint)}`]);
		assert.equal(made.code, 0, made.stderr);
		// Everything below happens in a mount namespace of its own: the machine's /var/lib stays as it was.
		const script = [
			'set -e',
			// The marker goes under /var/lib: a tmpfs there keeps the machine's own out of it.
			'mount -t tmpfs tmpfs /var/lib',
			`mount -o loop,${legacyQuotaOptions.join(',')} ${command(image, mountpoint)}`,
			'set +e',
			// The step's script on its own, as the runner sends it: its exit is its own.
			`(\n${quotaOnScript(`quotacheck -cugm ${quote(mountpoint)} || exit $?`, mountpoint)}\n)`,
			'echo "script exit $?"',
			`echo "probe $(sh -c ${quote(kernelQuotaProbe)})"`,
			`echo "state $(quotaon -pu ${quote(mountpoint)} 2>&1)"`,
		].join('\n');
		const result = await run('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script], {timeoutMs: 60_000});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^script exit 0$/m, `a kernel refusal is not a failed run:\n${result.stdout}${result.stderr}`);
		const probe = /^probe (.*)$/m.exec(result.stdout)?.[1] ?? '';
		const on = /^state .* is on$/m.test(result.stdout);
		if (on) {
			assert.equal(probe, 'yes');
		} else {
			assert.match(result.stdout, /Quota format not supported in kernel/);
			assert.match(probe, /^no: quotaon on kernel \S+ said: Quota format not supported in kernel$/);
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
