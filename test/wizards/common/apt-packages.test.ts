// The install script every packages step runs, against stand-ins for dpkg and apt-get: an install cut off by a stop
// leaves dpkg interrupted, and the next run finishes it before installing instead of failing until someone does.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {aptInstallScript, dpkgUpdatesDir} from '../../../wizards/common/apt-packages.js';

/** Runs the script with dpkg and apt-get replaced by loggers; `interrupted` leaves a journal file in dpkg's updates dir. */
function run(options: {interrupted: boolean; configureFails?: boolean}): {status: number | null; log: string[]} {
	const root = mkdtempSync(join(tmpdir(), 'waymark-apt-'));
	try {
		const bin = join(root, 'bin');
		const updates = join(root, 'updates');
		mkdirSync(bin);
		mkdirSync(updates);
		if (options.interrupted) {
			writeFileSync(join(updates, '0001'), '');
		}

		const log = join(root, 'log');
		writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho "apt-get $*" >> ${log}\n`, {mode: 0o755});
		writeFileSync(join(bin, 'dpkg'), `#!/bin/sh\necho "dpkg $*" >> ${log}\nexit ${options.configureFails ? 2 : 0}\n`, {mode: 0o755});
		const script = aptInstallScript(['autossh']).replaceAll(dpkgUpdatesDir, updates);
		const result = spawnSync('sh', ['-e', '-c', script], {encoding: 'utf8', env: {PATH: `${bin}:/usr/bin:/bin`}});
		return {
			status: result.status,
			log: readFileSync(log, 'utf8')
				.trim()
				.split('\n')
				.map(line => line.split(' ').slice(0, 2).join(' ')),
		};
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}

test('apt: an interrupted dpkg is finished before the install; a clean one is left alone', () => {
	assert.deepEqual(run({interrupted: false}), {status: 0, log: ['apt-get -o', 'apt-get -o']});
	assert.deepEqual(run({interrupted: true}), {status: 0, log: ['apt-get -o', 'dpkg --configure', 'apt-get -o']});
	// dpkg busy (another apt holds the lock) or failing: the install still runs, waits for the lock, and says what is wrong.
	assert.deepEqual(run({interrupted: true, configureFails: true}), {status: 0, log: ['apt-get -o', 'dpkg --configure', 'apt-get -o']});
	const finish = 'if [ -n "$(ls -A /var/lib/dpkg/updates 2>/dev/null)" ]; then dpkg --configure -a || true; fi';
	assert.deepEqual(
		aptInstallScript(['autossh'])
			.split('\n')
			.slice(1, 4)
			.map(line => line.split(' ')[0]),
		['apt-get', 'if', 'apt-get'],
	);
	assert.ok(aptInstallScript(['autossh']).includes(`update -q\n${finish}\napt-get`));
});
