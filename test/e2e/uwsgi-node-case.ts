// The uwsgi-node guide as an end-to-end case (uwsgi-node.test.ts runs it): every step to done with only the required answers (the git
// sources point at stand-ins on the host), then the node works as the guide wants: hardened sshd, container users
// through the NSS module, logins through the PAM module, the tuntap firewall.
import assert from 'node:assert/strict';
import {clusterRules} from '../../wizards/uwsgi-node/cluster-firewall.js';
import type {GuideCase} from './guide-matrix.js';
import {installStandIns, labSource} from './lab-sources.js';

const domain = 'node1.example.test';

/** The guide with only its required answers; the sources are stand-ins put on the node. */
export const uwsgiNodeCase: GuideCase = {
	wizard: 'uwsgi-node',
	roles: [{role: 'node', count: 1}],
	answers: () => ({
		publicIp: '192.0.2.10',
		apiDomain: domain,
		peerNodes: ['192.0.2.11', '192.0.2.12'],
		nssSource: labSource('nss-unbit'),
		pamSource: labSource('pam-unbit'),
		uwsgiItSource: labSource('uwsgi.it'),
	}),
	// apt is unpacking the build tools: the moment a lost connection hurts most (the dpkg lock).
	killAt: /Unpacking /,
	perDeployment: [/^\/etc\/uwsgi\/ssl\//],
	async prepare(hosts) {
		await installStandIns(hosts['node']![0]!);
	},
	async works(hosts) {
		const node = hosts['node']![0]!;
		const sshd = await node.exec('sshd -T | grep -E "^(passwordauthentication|kbdinteractiveauthentication|x11forwarding) "');
		assert.equal(sshd.stdout, 'passwordauthentication no\nkbdinteractiveauthentication no\nx11forwarding no\n');
		// The NSS module answers for its container user; the PAM module lets a fresh login through.
		assert.equal((await node.exec('getent passwd wmdemo')).stdout, 'wmdemo:x:4242:4242:wmdemo:/containers/wmdemo:/bin/sh\n');
		assert.match(await node.readFile('/etc/pam.d/sshd'), /^session\s+required\s+pam_unbit\.so$/m);
		assert.equal((await node.ssh('echo logged-in')).stdout, 'logged-in\n');
		const rules = await node.exec('iptables -S WAYMARK-TUNTAP; iptables -S INPUT | grep WAYMARK');
		assert.equal(
			rules.stdout,
			[
				'-N WAYMARK-TUNTAP',
				'-A WAYMARK-TUNTAP -s 192.0.2.11/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
				'-A WAYMARK-TUNTAP -s 192.0.2.12/32 -d 192.0.2.10/32 -p udp -m udp --sport 999 --dport 999 -j ACCEPT',
				'-A WAYMARK-TUNTAP -d 192.0.2.10/32 -p udp -m udp --dport 999 -j DROP',
				// The cluster chain was loaded after the tuntap one, at the top of INPUT.
				'-A INPUT -j WAYMARK-UWSGI-CLUSTER',
				'-A INPUT -p udp -m udp --dport 999 -j WAYMARK-TUNTAP',
				'',
			].join('\n'),
		);
		// The cluster chain on the live host, exactly as the step wrote it (the defaults: 2000, 2100, 998).
		assert.equal(
			(await node.exec('iptables -S WAYMARK-UWSGI-CLUSTER')).stdout,
			`${clusterRules('192.0.2.10', ['192.0.2.11', '192.0.2.12'], {subscription: '2000', legion: ['2100'], fastrouter: '998'}).join('\n')}\n`,
		);
		assert.equal((await node.stat('/etc/uwsgi/ssl/uwsgi.it.key')).mode & 0o777, 0o600);
		assert.match(
			await node.readFile('/etc/uwsgi/services/tuntap.ini'),
			/^hook-as-root = exec:ip addr replace 10\.0\.0\.1\/8 dev emperor0 && ip link set emperor0 up$/m,
			'no net-tools on a current image: the gateway comes up with iproute2',
		);
		assert.match(await node.readFile('/etc/uwsgi/local.ini'), /^public_ip = 192\.0\.2\.10$/m);
	},
};
