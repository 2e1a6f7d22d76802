// The rewrite of tuntap.ini's ifconfig hook, run by a real sh and sed on a copy of such a file: the gateway line
// becomes iproute2's, nothing else changes, and a second pass changes nothing.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {tuntapIfconfigRewrite} from '../../../wizards/uwsgi-node/uwsgi-it-tree.js';

const before = [
	'[uwsgi]',
	'plugins = tuntap,calc_ip',
	'hook-as-root = exec:ifconfig emperor0 10.0.0.1 netmask 255.0.0.0 up',
	'hook-as-root = exec:iptables -t nat -F',
	'',
].join('\n');

test('tuntap.ini: the ifconfig hook becomes ip addr/ip link, the rest is kept, and a second pass changes nothing', () => {
	const dir = mkdtempSync(join(tmpdir(), 'waymark-tuntap-'));
	try {
		const file = join(dir, 'tuntap.ini');
		writeFileSync(file, before);
		const once = spawnSync('sh', ['-c', tuntapIfconfigRewrite(file)], {encoding: 'utf8'});
		assert.equal(once.status, 0, once.stderr);
		const after = readFileSync(file, 'utf8');
		assert.equal(
			after,
			before.replace('exec:ifconfig emperor0 10.0.0.1 netmask 255.0.0.0 up', 'exec:ip addr replace 10.0.0.1/8 dev emperor0 && ip link set emperor0 up'),
		);
		spawnSync('sh', ['-c', tuntapIfconfigRewrite(file)]);
		assert.equal(readFileSync(file, 'utf8'), after);
		// No such file (a checkout without the tuntap service): nothing happens, and nothing fails.
		assert.equal(spawnSync('sh', ['-c', tuntapIfconfigRewrite(join(dir, 'none.ini'))]).status, 0);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
