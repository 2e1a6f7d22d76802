// ssh key pairs made by Waymark and kept in the operator's vault, so every run installs the same key.
import {answerText} from '../../source/engine/params.js';
import {generateSshKey, sshFingerprint, type SshKeyType} from '../../source/keys/ssh-key.js';
import {pemDecode} from '../../source/keys/pem.js';
import type {Answers, SecretSpec} from '../../source/engine/types.js';
import {vaultDir, vaultValue} from '../common/operator-vault.js';

/** The `.pub` line of an unencrypted OpenSSH private key (PROTOCOL.key: the public blob follows cipher, kdf and count). */
export function publicKeyOf(privateKey: string, comment = ''): string {
	const data = pemDecode('OPENSSH PRIVATE KEY', privateKey);
	let at = 'openssh-key-v1\0'.length;
	const next = () => {
		const length = data.readUInt32BE(at);
		const value = data.subarray(at + 4, at + 4 + length);
		at += 4 + length;
		return value;
	};

	next();
	next();
	next();
	at += 4;
	const blob = next();
	const algorithm = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1');
	return `${algorithm} ${blob.toString('base64')}${comment === '' ? '' : ` ${comment}`}`;
}

/** A key pair in `<vault>/<wizard>/<name>/id_<type>` (0600; the operator uses it with `ssh -i`). */
export function vaultSshKeySecret(options: {name: string; title: string; wizard: string; folder: string; typeParam?: string; comment: string}): SecretSpec {
	const type = (answers: Answers): SshKeyType => (options.typeParam && answerText(answers, options.typeParam) === 'rsa' ? 'rsa' : 'ed25519');
	return {
		name: options.name,
		title: options.title,
		generate: async (answers, vault) =>
			vaultValue(
				vault,
				vaultDir(answers, options.wizard, options.folder),
				`id_${type(answers)}`,
				async () => (await generateSshKey({type: type(answers), bits: 4096, comment: options.comment})).privateKey,
			),
		fingerprint: value => sshFingerprint(publicKeyOf(value)),
		publicPart: value => publicKeyOf(value, options.comment),
	};
}
