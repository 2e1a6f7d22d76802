import assert from 'node:assert/strict';
import {test} from 'node:test';
import {differences, preflightPrefix, readPlatform} from '../../source/engine/preflight.js';
import type {Fact} from '../../source/engine/types.js';

function facts(values: Record<string, string | null>): Map<string, Fact> {
	return new Map(
		Object.entries(values).map(([key, text]) => [`${preflightPrefix}${key}`, {key, exists: text !== null, text: text ?? '', exitCode: text === null ? 1 : 0}]),
	);
}

const debian12 = {
	'os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n',
	kernel: '6.1.0-28-amd64\n',
	init: 'systemd\n',
	cgroup: 'cgroup2fs\n',
	container: 'none\n',
	bootloader: 'grub\n',
	'sshd-include': 'include\n',
	firewall: 'iptables-nft\n',
	openvpn: 'OpenVPN 2.6.3 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]\n',
};

test('a Debian 12 server: every departure from the 2013 guides is named', () => {
	const platform = readPlatform(facts(debian12));
	assert.equal(platform.distribution, 'Debian GNU/Linux 12 (bookworm)');
	assert.deepEqual(differences(platform), [
		'Kernel 6.1.0-28-amd64: CFQ and elevator= are gone (blk-mq); the fair scheduler is set with a udev rule (bfq).',
		'cgroup v2: no fstab cgroup line; limits go into systemd units.',
		'sshd_config includes sshd_config.d: settings go into a drop-in that sorts first, not at the end of sshd_config.',
		'iptables is the nf_tables variant: rules are checked with -C before they are added, and saved with netfilter-persistent.',
		'OpenVPN 2.6.3: static-key mode is deprecated; TLS with pinned fingerprints is offered instead, and every config names its cipher.',
	]);
});

test('an Ubuntu 13.10-era host: nothing to say about kernels, a firewall manager stops raw iptables', () => {
	const platform = readPlatform(
		facts({
			...debian12,
			'os-release': 'PRETTY_NAME="Ubuntu 13.10"\n',
			kernel: '3.11.0-12-generic\n',
			init: 'init\n',
			cgroup: 'tmpfs\n',
			'sshd-include': 'no-include\n',
			firewall: 'ufw\n',
			openvpn: '',
		}),
	);
	assert.deepEqual(differences(platform), [
		'ufw manages the firewall: raw iptables steps stop and say which ufw commands to use.',
		'No systemd (pid 1 is init): services are reloaded by signal, units are written for the next boot with systemd.',
	]);
});

test('a container and an offline image', () => {
	assert.match(differences(readPlatform(facts({...debian12, container: 'lxc\n'})))[0]!, /^Container \(lxc\)/);
	const offline = readPlatform(new Map([[`${preflightPrefix}kernel`, {key: 'kernel', exists: false, text: '', exitCode: 127, unavailable: true}]]));
	assert.equal(offline.kernel, 'unknown (offline)');
	assert.deepEqual(differences(offline), []);
});
