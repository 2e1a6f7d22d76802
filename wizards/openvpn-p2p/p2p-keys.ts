// Key material of the point-to-point link, made on the operator's machine with a CSPRNG and kept in the vault:
// the guide's static key in OpenVPN's exact format, or (the default) two self-signed certificates and a tls-crypt key.
import {answerText} from '../../source/engine/params.js';
import {staticKeyFingerprint, generateStaticKey, tlsCryptKey} from '../../source/keys/openvpn-static-key.js';
import {certificateFingerprint, selfSigned} from '../../source/keys/pki.js';
import type {Answers, SecretSpec} from '../../source/engine/types.js';
import {vaultDir, vaultValue} from '../common/operator-vault.js';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';

export const p2pSecrets = {staticKey: 'p2p-static-key', tlsCrypt: 'p2p-tls-crypt-key', server: 'p2p-server-tls', client: 'p2p-client-tls'} as const;

function dir(answers: Answers, nameParam: string): string {
	return vaultDir(answers, 'openvpn-p2p', answerText(answers, nameParam));
}

function tlsPair(kind: 'server' | 'client', nameParam: string): SecretSpec {
	return {
		name: kind === 'server' ? p2pSecrets.server : p2pSecrets.client,
		title: `TLS key and self-signed certificate of the ${kind}`,
		async generate(answers, vault) {
			return vaultValue(vault, dir(answers, nameParam), `${kind}.pem`, async () => {
				const made = await selfSigned({commonName: `${answerText(answers, nameParam)}-${kind}`, kind, days: 3650});
				return `${made.privateKeyPem}${made.certificatePem}`;
			});
		},
		fingerprint: value => `SHA256 ${certificateFingerprint(splitKeyAndCertificate(value).certificate)}`,
	};
}

export function p2pSecretSpecs(nameParam: string): SecretSpec[] {
	return [
		{
			name: p2pSecrets.staticKey,
			title: "OpenVPN static key (the guide's `openvpn --genkey --secret`)",
			generate: async (answers, vault) => vaultValue(vault, dir(answers, nameParam), 'static.key', generateStaticKey),
			fingerprint: staticKeyFingerprint,
		},
		{
			name: p2pSecrets.tlsCrypt,
			title: 'OpenVPN tls-crypt key',
			generate: async (answers, vault) => vaultValue(vault, dir(answers, nameParam), 'tls-crypt.key', tlsCryptKey),
			fingerprint: staticKeyFingerprint,
		},
		tlsPair('server', nameParam),
		tlsPair('client', nameParam),
	];
}
