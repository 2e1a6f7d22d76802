// The floors of row P1: one ssh call running a facts-like script (what a re-run must at least read from the host),
// on a fresh connection or on one already open (ControlMaster), after `node -e 0`.
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {timedOk} from './process.js';
import {projectNode} from './waymark.js';

/** Reads what the guide's steps check: the files they edit, the directories, packages, firewall and units. */
export const factsLikeScript = [
	'cat /etc/os-release /etc/nsswitch.conf /etc/pam.d/sshd /etc/ssh/sshd_config.d/00-waymark.conf /etc/fstab',
	'cat /etc/uwsgi/local.ini /etc/uwsgi/services/tuntap.ini /etc/uwsgi/emperor.ini /etc/systemd/system/uwsgi-emperor.service',
	'stat -c "%n %a %U %G" /containers /distros /ns /opt/unbit/uwsgi/plugins /etc/uwsgi /etc/uwsgi/vassals /etc/uwsgi/domains /etc/uwsgi/ssl /var/log/uwsgi /etc/uwsgi/ssl/uwsgi.it.key /usr/lib/libnss_unbit.so.2',
	'dpkg-query -W -f="\\${Package} \\${Status}\\n" git make build-essential libpam0g-dev libcurl4-openssl-dev quota e2fsprogs iptables',
	'iptables -S; systemctl is-enabled waymark-iptables-restore.service; sshd -T | head -n 5',
	'true',
]
	.map(line => `${line} 2>&1`)
	.join('\n');

export interface Floors {
	/** node -e 0, then the script over a new connection. */
	fresh(): Promise<number>;
	/** node -e 0, then the script over the open connection. */
	warm(): Promise<number>;
	close(): void;
}

export function sshFloors(sshConfig: string, alias: string, dir: string): Floors {
	const control = join(dir, 'warm-%C');
	const base = ['ssh', '-F', sshConfig, '-o', 'BatchMode=yes'];
	// The open connection of the warm floor: a master that persists, as an earlier run's would.
	execFileSync('ssh', [...base.slice(1), '-o', 'ControlMaster=yes', '-o', `ControlPath=${control}`, '-o', 'ControlPersist=600', '-f', '-N', alias], {
		stdio: 'ignore',
		timeout: 30_000,
	});
	const node = async () => (await timedOk([projectNode, '-e', '0'])).ms;
	return {
		fresh: async () => (await node()) + (await timedOk([...base, '-o', 'ControlMaster=no', '-o', 'ControlPath=none', alias, factsLikeScript])).ms,
		warm: async () => (await node()) + (await timedOk([...base, '-o', 'ControlMaster=no', '-o', `ControlPath=${control}`, alias, factsLikeScript])).ms,
		close() {
			execFileSync('ssh', [...base.slice(1), '-o', `ControlPath=${control}`, '-O', 'exit', alias], {stdio: 'ignore', timeout: 30_000});
		},
	};
}
