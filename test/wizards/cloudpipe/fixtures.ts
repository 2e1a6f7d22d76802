// What every cloudpipe case table starts from: the required answers and the project's keys as the vault holds them.
import {generateStaticKey} from '../../../source/keys/openvpn-static-key.js';
import {createCa, createCrl, issueCertificate} from '../../../source/keys/pki.js';
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import {context} from '../step-harness.js';

export const ca = await createCa({commonName: 'project1-ca', days: 30});
export const server = await issueCertificate(ca, {kind: 'server', commonName: 'cloudpipe-project1', days: 30});
export const secrets = {
	'cloudpipe-ca': `${ca.privateKeyPem}${ca.certificatePem}`,
	'cloudpipe-server': `${server.privateKeyPem}${server.certificatePem}`,
	'cloudpipe-tls-crypt': generateStaticKey(),
	'cloudpipe-clients': 'alice 01\n',
	'cloudpipe-crl': createCrl(ca, {revoked: [], nextUpdateDays: 30}),
};

export const answers = {publicIp: '198.51.100.1', vpnIp: '10.0.0.2', vault: '/tmp/waymark-test-vault'};

/** The context the tables' cases run in, for what a case needs to compute up front (the payload). */
export const ctx = context(cloudpipe, answers, secrets);

/** `openvpn --version | head -n 1` of Debian 12's openvpn 2.6.3. */
export const openvpn26 = 'OpenVPN 2.6.3 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]\n';

/** A command the host answers with nothing and exit 1 (`command -v` of a missing program, an absent rule). */
export const absent = {text: '', exitCode: 1} as const;

export const userDataPath = '/var/lib/waymark/cloudpipe/user-data.b64';

/** An offline image directory. */
export const image = {kind: 'root', label: 'root:/srv/image'} as const;
