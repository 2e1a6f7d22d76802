// The preflight line of an offline image says what it is instead of "unknown (offline)" three times.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {platformLine} from '../../source/wording/platform.js';

test('an offline image is named as one, a live host by what it runs', () => {
	const unknown = 'unknown (offline)';
	assert.equal(
		platformLine('root:/srv/image', {distribution: 'Debian GNU/Linux 13 (trixie)', kernel: unknown, init: unknown, firewall: unknown}),
		'root:/srv/image: offline image (Debian GNU/Linux 13 (trixie)); its kernel, init and firewall are known once it boots',
	);
	assert.equal(
		platformLine('ssh:node1', {distribution: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0', init: 'systemd', firewall: 'none'}),
		'ssh:node1: Debian GNU/Linux 12 (bookworm), kernel 6.1.0, systemd, firewall none',
	);
});
