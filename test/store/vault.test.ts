// The vault on disk: a temp file a killed writer left beside a vault file is swept when the vault is next read or
// written there (its writer's pid is gone); a live writer's temp stays; the kept file is read as it is.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {DiskVault} from '../../source/store/vault.js';

const base = mkdtempSync(join(tmpdir(), 'waymark-vault-'));
after(() => {
	rmSync(base, {recursive: true, force: true});
});

/** The pid of a process that has ended. */
function deadPid(): number {
	const child = spawnSync('sh', ['-c', 'echo $$'], {encoding: 'utf8'});
	return Number(child.stdout.trim());
}

for (const how of ['read', 'write'] as const) {
	test(`a killed writer's temp beside a vault file is swept on ${how}; a live writer's stays`, () => {
		const dir = join(base, how);
		const vault = new DiskVault();
		vault.write(join(dir, 'key.pem'), 'kept\n');
		const dead = `.waymark-tmp-${deadPid()}-0a1b2c3d-key.pem`;
		const live = `.waymark-tmp-${process.pid}-0a1b2c3d-key.pem`;
		writeFileSync(join(dir, dead), 'half a ke');
		writeFileSync(join(dir, live), 'being written');
		if (how === 'read') {
			assert.equal(vault.read(join(dir, 'key.pem')), 'kept\n');
		} else {
			vault.write(join(dir, 'other.pem'), 'new\n');
		}

		assert.deepEqual(readdirSync(dir).sort(), [live, 'key.pem', ...(how === 'write' ? ['other.pem'] : [])].sort());
	});
}
