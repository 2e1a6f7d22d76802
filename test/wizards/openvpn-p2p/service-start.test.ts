// The service step's start script run by a real shell against a stand-in systemctl.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import {context, facts, step, summary} from '../step-harness.js';
import {answers, secrets} from './fixtures.js';

test('the start waits, bounded, while systemd says activating, so the probe after it sees the unit as it settled', () => {
	const [start] = summary(
		step(openvpnP2p, 'server-service').plan(
			context(openvpnP2p, answers, secrets),
			facts({systemd: 'yes\n', enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n', daemon: 'stopped\n'}),
		),
	);
	const dir = mkdtempSync(join(tmpdir(), 'waymark-start-'));
	try {
		// A systemctl that says activating for the first `settle` questions, then active; sleep does not wait.
		writeFileSync(
			join(dir, 'systemctl'),
			'#!/bin/sh\necho "$*" >> "$LOG"\n[ "$1" = is-active ] || exit 0\nn=$(grep -c is-active "$LOG")\n[ "$n" -gt "$SETTLE" ] && echo active || echo activating\n',
			{mode: 0o755},
		);
		writeFileSync(join(dir, 'sleep'), '#!/bin/sh\n', {mode: 0o755});
		writeFileSync(join(dir, 'openvpn'), '#!/bin/sh\n', {mode: 0o755});
		const questions = (settle: number) => {
			const log = join(dir, `log-${settle}`);
			execFileSync('/bin/sh', ['-c', start![1]], {env: {PATH: `${dir}:/usr/bin:/bin`, LOG: log, SETTLE: String(settle)}});
			return readFileSync(log, 'utf8')
				.split('\n')
				.filter(line => line.startsWith('is-active')).length;
		};

		assert.equal(questions(0), 1, 'active at once: asked once');
		assert.equal(questions(3), 4, 'activating three times, then active');
		assert.equal(questions(1000), 151, 'never settles: gives up after 150 waits, and the probe reports it');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
