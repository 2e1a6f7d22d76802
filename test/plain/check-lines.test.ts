import assert from 'node:assert/strict';
import {test} from 'node:test';
import {checkLines} from '../../source/plain/check-lines.js';
import {brokenReport} from '../ui/fixtures.js';

test('the check report as lines: per host each finding, why and the fixing command for what fails or warns, then the counts', () => {
	const lines = checkLines(brokenReport.findings, finding => `waymark run uwsgi-node --only ${finding.stepId}`);
	assert.deepEqual(lines, [
		'ssh:node1',
		'  ✖ fail  I/O scheduler: would change: create /etc/udev/rules.d/60-scheduler.rules',
		'          why: The guide sets elevator=deadline on the kernel command line.',
		'          fix: waymark run uwsgi-node --only elevator',
		'  ✔ pass  Packages: uwsgi and quota installed',
		'  ! warn  Certificate expiry: /etc/uwsgi/node.pem expires in 12 days',
		'          why: Clients refuse an expired certificate.',
		'          fix: waymark run uwsgi-node --only packages',
		'  ✖ fail  Password logins: PasswordAuthentication yes in sshd_config.d/60-cloud.conf',
		'          why: A later drop-in turns password logins back on.',
		'          fix: waymark run uwsgi-node --only sshd',
		'ssh:node2',
		'  - n/a   I/O scheduler: container (lxc)',
		'  ✔ pass  Harden sshd: as wanted',
		// Unlike the TUI's report, the line has never counted n/a.
		'2 pass, 1 warn, 2 fail',
	]);
});
