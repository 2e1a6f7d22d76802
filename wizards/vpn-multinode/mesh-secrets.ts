// The mesh's secrets, made on the operator's machine: PeerVPN's shared psk and every host's WireGuard key pair.
import {shortFingerprint} from '../../source/keys/fingerprint.js';
import {generatePsk, PSK_ALPHABET, pskFingerprint} from '../../source/keys/pre-shared-key.js';
import {generateWireguardPrivateKey, isWireguardKey, wireguardPublicKey} from '../../source/keys/wireguard.js';
import type {Answers, SecretSpec} from '../../source/engine/types.js';
import {meshHosts, readTopology} from './mesh-topology.js';

export const pskSecretName = 'vpn-multinode-psk';
export const wireguardSecretName = 'vpn-multinode-wireguard-keys';

/** PeerVPN derives nothing from the psk, so only a long random one is safe (PITFALLS §7). */
export const pskLength = 32;

export function isMeshPsk(text: string): boolean {
	return text.length >= pskLength && text.length <= 512 && [...text].every(character => PSK_ALPHABET.includes(character));
}

export const pskSecret: SecretSpec = {
	name: pskSecretName,
	title: 'PeerVPN pre-shared key (the same on every host)',
	generate: () => generatePsk(pskLength),
	fingerprint: value => pskFingerprint(value),
};

/** One private key per host, keyed by hostname. */
export type MeshPrivateKeys = ReadonlyMap<string, string>;

// One key per line: the transcript redacts a secret line by line, so each key is caught even where it appears alone.
const hostLine = 'wireguard-host ';

export function formatWireguardKeys(keys: MeshPrivateKeys): string {
	return [...keys].map(([hostname, key]) => `${hostLine}${hostname}\n${key}\n`).join('');
}

export function parseWireguardKeys(text: string): Map<string, string> {
	const keys = new Map<string, string>();
	const lines = text.split('\n');
	for (let index = 0; index + 1 < lines.length; index += 2) {
		const hostname = lines[index]!.startsWith(hostLine) ? lines[index]!.slice(hostLine.length) : '';
		const key = lines[index + 1]!;
		if (hostname !== '' && isWireguardKey(key)) {
			keys.set(hostname, key);
		}
	}

	return keys;
}

export const wireguardSecret: SecretSpec = {
	name: wireguardSecretName,
	title: 'WireGuard key pairs, one per host',
	generate(answers: Answers) {
		const hosts = meshHosts(readTopology(answers));
		return formatWireguardKeys(new Map(hosts.map(host => [host.hostname, generateWireguardPrivateKey()])));
	},
	// The public keys are safe to show and say which keys these are.
	fingerprint: value =>
		`${parseWireguardKeys(value).size} key pairs, ${shortFingerprint([...parseWireguardKeys(value).values()].map(key => wireguardPublicKey(key)).join(','))}`,
};
