// The payload itself: the guide's files plus the keys, a deterministic zip, and what a real unzip makes of it.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {payloadFiles, userData} from '../../../wizards/cloudpipe/index.js';
import {ctx, server} from './fixtures.js';

test("payload: the guide's files plus the keys, zipped the same way every time, unzip restores modes", () => {
	assert.deepEqual(
		payloadFiles(ctx).map(file => file.name),
		['server.conf', 'up.sh', 'down.sh', 'autorun.sh', 'ca.crt', 'server.crt', 'server.key', 'tls-crypt.key', 'crl.pem'],
	);
	const config = payloadFiles(ctx)[0]!.content;
	assert.match(config, /^server 10\.8\.0\.0 255\.255\.255\.0$/m);
	assert.match(config, /^push "route 10\.0\.0\.0 255\.255\.255\.0"$/m);
	assert.match(config, /^crl-verify cloudpipe\/crl\.pem$/m);
	assert.match(config, /^remote-cert-tls client$/m);
	assert.match(config, /^cipher AES-256-GCM$/m);
	assert.match(config, /^max-clients 5$/m);
	assert.equal(userData(ctx), userData(ctx), 'deterministic');
	const dir = mkdtempSync(join(tmpdir(), 'waymark-payload-'));
	try {
		writeFileSync(join(dir, 'payload.zip'), Buffer.from(userData(ctx), 'base64'));
		execFileSync('unzip', ['-q', join(dir, 'payload.zip'), '-d', join(dir, 'out')]);
		assert.equal(readFileSync(join(dir, 'out/server.key'), 'utf8'), server.privateKeyPem);
		assert.match(execFileSync('stat', ['-c', '%a', join(dir, 'out/autorun.sh'), join(dir, 'out/server.key')], {encoding: 'utf8'}), /^755\n600\n$/);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
