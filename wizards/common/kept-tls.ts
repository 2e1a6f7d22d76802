// A self-signed TLS key and certificate made on the operator's machine once per name and kept in the vault: a re-run
// reuses them (an RSA key costs a fifth of a second, and a fresh one each run would leave a new secret behind every
// time), and a new pair is made only when the kept certificate is within the expiry warning window. The export
// copies the same pair from the vault.
import {X509Certificate} from 'node:crypto';
import {join} from 'node:path';
import {answerText} from '../../source/engine/params.js';
import type {AnsibleTask, Answers, SecretSpec, Vault} from '../../source/engine/types.js';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';
import {certificateFingerprint, selfSigned} from '../../source/keys/pki.js';
import {vaultLookup} from './ansible-tasks.js';
import {warnDays} from './expiry.js';
import {readVault, vaultDir, writeVault} from './operator-vault.js';

const vaultFile = 'key-and-certificate.pem';
const day = 24 * 60 * 60 * 1000;

/** Whether a kept key-and-certificate is still worth handing out: readable, and valid past the warning window. */
function stillGood(pem: string, now: Date): boolean {
	try {
		const until = new Date(new X509Certificate(splitKeyAndCertificate(pem).certificate).validTo);
		return until.getTime() - now.getTime() > warnDays * day;
	} catch {
		return false;
	}
}

export interface KeptTls {
	readonly name: string;
	readonly title: string;
	readonly wizard: string;
	/** The answer that names the certificate's subject, and the vault folder (`tls-<name>`). */
	readonly nameParam: string;
}

/** Where the pair is kept: `<vault>/<wizard>/tls-<name>/key-and-certificate.pem`. */
export function keptTlsPath(answers: Answers, options: KeptTls): string {
	return join(vaultDir(answers, options.wizard, `tls-${answerText(answers, options.nameParam)}`), vaultFile);
}

export function keptTlsSecret(options: KeptTls, now: () => Date = () => new Date()): SecretSpec {
	return {
		name: options.name,
		title: options.title,
		async generate(answers: Answers, vault: Vault) {
			const subject = answerText(answers, options.nameParam);
			const dir = vaultDir(answers, options.wizard, `tls-${subject}`);
			const kept = readVault(vault, dir, vaultFile);
			if (kept !== undefined && stillGood(kept, now())) {
				return kept;
			}

			const made = await selfSigned({commonName: subject, kind: 'server', days: 825});
			const value = `${made.privateKeyPem}${made.certificatePem}`;
			writeVault(vault, dir, vaultFile, value);
			return value;
		},
		fingerprint: value => `SHA256 ${certificateFingerprint(splitKeyAndCertificate(value).certificate)}`,
	};
}

/** The pair from the vault on the controller into place, an existing pair kept as the steps keep it; the key never in Ansible's output. */
export function keptTlsTasks(kept: string, paths: {readonly key: string; readonly certificate: string}): AnsibleTask[] {
	const copy = (name: string, path: string, mode: string, content: string) => ({
		name,
		'ansible.builtin.copy': {dest: path, content, mode, owner: 'root', group: 'root', force: false},
		no_log: true,
	});
	const certificateStart = '-----BEGIN CERTIFICATE-----';
	return [
		copy(`The key from your vault (${kept}), mode 0600`, paths.key, '0600', vaultLookup(kept, {before: certificateStart})),
		copy('The self-signed certificate from your vault', paths.certificate, '0644', vaultLookup(kept, {from: certificateStart})),
		{name: 'An existing key is never left readable by others', 'ansible.builtin.file': {path: paths.key, mode: '0600'}},
	];
}
