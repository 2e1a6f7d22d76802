// openvpn-p2p as the guide runs it: a public Debian 12 server and a client inside the private network, both ends up.
import {generateStaticKey, tlsCryptKey} from '../../../source/keys/openvpn-static-key.js';
import {selfSigned} from '../../../source/keys/pki.js';
import {nginxPaths} from '../../../wizards/openvpn-p2p/nginx-basic-auth.js';
import {p2pSecrets} from '../../../wizards/openvpn-p2p/p2p-keys.js';
import {iptablesSave, type ConvergedCase, type WizardCases} from './host.js';

async function pair(kind: 'server' | 'client'): Promise<string> {
	const made = await selfSigned({commonName: `mistio-${kind}`, kind, days: 3650});
	return `${made.privateKeyPem}${made.certificatePem}`;
}

const secrets = new Map([
	[p2pSecrets.staticKey, generateStaticKey()],
	[p2pSecrets.tlsCrypt, tlsCryptKey()],
	[p2pSecrets.server, await pair('server')],
	[p2pSecrets.client, await pair('client')],
]);

/** `openvpn --version | head -n 1` of Debian 12's openvpn 2.6.3. */
export const openvpn26 = 'OpenVPN 2.6.3 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]\n';

/** Before: no openvpn (the pipe through head exits 0 with nothing); after apt-get: Debian 12's. */
export const installOpenvpn: ConvergedCase = {before: {'openvpn-version': ''}, after: {'openvpn-version': openvpn26}};

/** The unit before: not enabled, not running; after: enabled, and active once the other end is connected. */
const service: ConvergedCase = {
	before: {enabled: {text: 'disabled\n', exitCode: 1}, active: 'inactive\n', daemon: 'stopped\n'},
	after: {enabled: 'enabled\n', active: 'active\n'},
};

const routingTables = '0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n';

export const openvpnP2pCases: WizardCases = {
	answers: {serverPublicAddress: '198.51.100.7', vault: '/tmp/waymark-test-vault'},
	secrets,
	bindings: {server: [{kind: 'ssh', label: 'ssh:mist'}], client: [{kind: 'ssh', label: 'ssh:gateway'}]},
	steps: {
		'server-openvpn': installOpenvpn,
		'server-keys': {},
		'server-config': {before: {'openvpn-version': openvpn26}},
		// tun0 is not up before the service step starts it: the up script sets rule and route when it comes up.
		'server-routing': {before: {device: {text: '', exitCode: 1}, rules: routingTables, routes: ''}},
		'server-service': service,
		// nginx is off by default (the guide's optional part): nginx and HAProxy are left alone.
		'server-nginx': {},
		'server-haproxy': {},
		'server-capabilities': {
			// mist.io is checked out with a virtualenv; no setcap was run on it.
			before: {
				bin: '',
				getcap: ['uwsgi', 'celery', 'cloudpy', 'python'].map(name => `/home/mist/mist.io/bin/${name} \n`).join(''),
				enabled: '',
				running: 'inactive\n',
			},
			after: {enabled: 'enabled\n', running: '4242 0000000000003000\n'},
		},
		// The client also needs iptables for its NAT rule; a minimal image has none.
		'client-openvpn': {
			before: {'openvpn-version': '', 'has-iptables': {text: '', exitCode: 1}},
			after: {'openvpn-version': openvpn26, 'has-iptables': '/usr/sbin/iptables\n'},
		},
		'client-keys': {},
		'client-config': {before: {'openvpn-version': openvpn26}},
		'client-forwarding': {before: {running: '0\n'}, after: {running: '1\n'}},
		'client-masquerade': {
			before: {iptables: '/usr/sbin/iptables\n', rule0: {text: '', exitCode: 1}, links: 'eth0\nlo\n'},
			after: {rule0: 'present\n', saved: iptablesSave({nat: ['-A POSTROUTING -o eth0 -j MASQUERADE'], filter: []}), boot: 'waymark\n'},
		},
		'client-service': service,
	},
	variants: [
		{
			name: 'nginx with basic auth in front of mist.io',
			answers: {nginx: true, authPassword: 'correct horse battery staple'},
			steps: {
				'server-nginx': {
					before: {
						nginx: {text: '', exitCode: 1},
						group: {text: '', exitCode: 1},
						enabled: {text: '', exitCode: 1},
						default: 'present\n',
						running: 'stopped\n',
					},
					after: {nginx: '/usr/sbin/nginx\n', group: 'www-data\n', enabled: `${nginxPaths.site}\n`, default: 'absent\n', running: 'running\n'},
				},
				// mist.io's supervisord runs HAProxy; there is no haproxy system unit.
				'server-haproxy': {before: {supervised: 'RUNNING\n', service: {text: 'inactive\n', exitCode: 3}}, after: {supervised: 'STOPPED\n'}},
			},
		},
		{
			name: "the guide's static key over udp",
			answers: {mode: 'static-key', proto: 'udp'},
			steps: {
				'server-keys': {},
				'server-config': {before: {'openvpn-version': openvpn26}},
				'client-keys': {},
				'client-config': {before: {'openvpn-version': openvpn26}},
			},
		},
	],
};
