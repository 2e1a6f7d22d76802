// The check report's rows as the operator reads them, and the keys that mark two findings: shared by the report's
// own tests and the app's check flow.
import type {Typist} from '../form-keys.js';
import {waitFor} from '../wait-for.js';

export const up = '\u001B[A';
export const down = '\u001B[B';
export const escapeKey = '\u001B';

export const node1 = [
	'ssh:node1 · Debian GNU/Linux 12 (bookworm) · kernel 6.1.0-18-amd64 · systemd · firewall iptables-nft',
	'  differs from the guide: cgroup v2: no fstab cgroup line; limits go into systemd units.',
];
export const node2 = 'ssh:node2 · Ubuntu 24.04 LTS · kernel 6.8.0-31-generic · systemd · firewall ufw';
export const elevatorRow = '○ [fail] I/O scheduler: would change: create /etc/udev/rules.d/60-scheduler.rules';
export const certRow = '○ [warn] Certificate expiry: /etc/uwsgi/node.pem expires in 12 days';
export const sshdRow = '○ [fail] Password logins: PasswordAuthentication yes in sshd_config.d/60-cloud.conf';

/** Marks the sshd finding, then the scheduler's: the order marked is not the wizard's order. */
export async function markSshdThenScheduler({lastFrame, stdin}: Typist) {
	stdin.write(down);
	stdin.write(down);
	await waitFor(lastFrame, `❯ ${sshdRow}`);
	stdin.write(' ');
	await waitFor(lastFrame, '◉ [fail] Password logins');
	stdin.write(up);
	stdin.write(up);
	await waitFor(lastFrame, '❯ ○ [fail] I/O scheduler');
	stdin.write(' ');
}
