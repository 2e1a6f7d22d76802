// cloudpipe for one project: the network host forwards its port to a VPN instance that runs the payload.
import {generateStaticKey} from '../../../source/keys/openvpn-static-key.js';
import {createCa, createCrl, issueCertificate} from '../../../source/keys/pki.js';
import {cloudpipeSecrets} from '../../../wizards/cloudpipe/cloudpipe-pki.js';
import {splitKeyAndCertificate} from '../../../source/keys/pem.js';
import {iptablesSave, minbasePackages, type WizardCases} from './host.js';
import {openvpn26} from './openvpn-p2p.js';

// The vault's keys as the secret specs leave them (made here, so the test writes nothing to a vault).
const ca = await createCa({commonName: 'project1-ca', days: 3650});
const server = await issueCertificate(ca, {kind: 'server', commonName: 'cloudpipe-project1', days: 3650});
const crl = createCrl(ca, {revoked: [], nextUpdateDays: 30});
const secrets = new Map([
	[cloudpipeSecrets.ca, `${ca.privateKeyPem}${ca.certificatePem}`],
	[cloudpipeSecrets.server, `${server.privateKeyPem}${server.certificatePem}`],
	[cloudpipeSecrets.tlsCrypt, generateStaticKey()],
	[cloudpipeSecrets.clients, ''],
	[cloudpipeSecrets.crl, crl],
]);

const answers = {publicIp: '198.51.100.1', vpnIp: '10.0.0.2', vault: '/tmp/waymark-test-vault'};
const dnat = `-A PREROUTING -d ${answers.publicIp}/32 -p udp -m udp --dport 41194 -j DNAT --to-destination ${answers.vpnIp}:1194`;
const forward = `-A FORWARD -d ${answers.vpnIp}/32 -p udp -m udp --dport 1194 -j ACCEPT`;
const absent = {text: '', exitCode: 1} as const;

export const cloudpipeCases: WizardCases = {
	answers,
	secrets,
	bindings: {'network-host': [{kind: 'ssh', label: 'ssh:nova-network'}], vpn: [{kind: 'ssh', label: 'ssh:project1-vpn'}]},
	steps: {
		'network-user-data': {},
		// A minimal image: no iptables until the step installs it.
		'network-packages': {after: {installed: `${minbasePackages}ii \tiptables\t\n`}},
		'network-forwarding': {before: {running: '0\n'}, after: {running: '1\n'}},
		'network-port-forward': {
			before: {iptables: '/usr/sbin/iptables\n', rule0: absent, rule1: absent},
			after: {rule0: 'present\n', rule1: 'present\n', saved: iptablesSave({nat: [dnat], filter: [forward]}), boot: 'waymark\n'},
		},
		'vpn-openvpn': {
			before: {'openvpn-version': '', 'has-unzip': absent, 'has-iptables': absent, 'has-openssl': absent},
			after: {'openvpn-version': openvpn26, 'has-unzip': '/usr/bin/unzip\n', 'has-iptables': '/usr/sbin/iptables\n', 'has-openssl': '/usr/bin/openssl\n'},
		},
		'vpn-image': {before: {'boot-units': 'disabled disabled inactive\n'}, after: {'boot-units': 'enabled enabled active\n'}},
		'vpn-security-group': {
			before: {iptables: '/usr/sbin/iptables\n', rule0: absent, rule1: absent},
			after: {
				rule0: 'present\n',
				rule1: 'present\n',
				saved: iptablesSave({filter: ['-A INPUT -p icmp -j ACCEPT', '-A INPUT -p udp -m udp --dport 1194 -j ACCEPT']}),
				boot: 'waymark\n',
			},
		},
		'vpn-user-data': {
			before: {running: 'stopped\n'},
			// autorun.sh unpacked the payload next to server.conf and started openvpn-server@cloudpipe.
			after: {running: 'running\n', crl, certificate: splitKeyAndCertificate(secrets.get(cloudpipeSecrets.server)!).certificate},
		},
	},
};
