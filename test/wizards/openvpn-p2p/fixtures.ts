// What every openvpn-p2p case table starts from: the wizard's required answers, and keys as the vault holds them.
import assert from 'node:assert/strict';
import {generateStaticKey, tlsCryptKey} from '../../../source/keys/openvpn-static-key.js';
import {selfSigned} from '../../../source/keys/pki.js';
import type {Action, FileAction, Plan} from '../../../source/engine/types.js';

async function pem(kind: 'server' | 'client'): Promise<string> {
	const made = await selfSigned({commonName: `mistio-${kind}`, kind, days: 30});
	return `${made.privateKeyPem}${made.certificatePem}`;
}

export const secrets = {
	'p2p-static-key': generateStaticKey(),
	'p2p-tls-crypt-key': tlsCryptKey(),
	'p2p-server-tls': await pem('server'),
	'p2p-client-tls': await pem('client'),
};

export const answers = {serverPublicAddress: '198.51.100.7', vault: '/tmp/waymark-test-vault'};

/** The guide's static key over udp instead of the default TLS. */
export const staticKey = {mode: 'static-key', proto: 'udp'};

/** `openvpn --version | head -n 1` of Debian 12's openvpn 2.6.3. */
export const openvpn26 = 'OpenVPN 2.6.3 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]\n';

/** A command the host answers with nothing and exit 1 (`command -v` of a missing program, an absent rule). */
export const absent = {text: '', exitCode: 1} as const;

/** The file action for this path in the plan. */
export function fileAt(plan: Plan, path: string): FileAction {
	const found = plan.actions.find((action): action is FileAction => action.kind === 'file' && action.path === path);
	assert.ok(found, `the plan writes ${path}`);
	return found;
}

/** The script of the command with this title in the plan. */
export function scriptOf(plan: Plan, title: string): string {
	const found = plan.actions.find((action: Action) => action.kind === 'command' && action.title === title);
	assert.ok(found?.kind === 'command', `the plan runs "${title}"`);
	return found.script;
}
