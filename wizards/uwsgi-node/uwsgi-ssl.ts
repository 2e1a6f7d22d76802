// The guide's /etc/uwsgi/ssl: a self-signed certificate for the API domain, made on the operator's machine.
import {X509Certificate} from 'node:crypto';
import {join} from 'node:path';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';
import {answerText} from '../../source/engine/params.js';
import {certificateFingerprint, selfSigned} from '../../source/keys/pki.js';
import {defineStep} from '../../source/engine/step.js';
import type {Answers, SecretSpec, Step, Vault} from '../../source/engine/types.js';
import {fileText, fileWithMode} from '../../source/facts/files.js';
import {certificateExpiryCheck, warnDays} from '../common/expiry.js';
import {readVault, vaultDir, writeVault} from '../common/operator-vault.js';
import {vaultLookup} from '../common/ansible-tasks.js';
import {fileChange, plan} from '../common/plan-helpers.js';
import {quote} from '../../source/targets/quote.js';

export const sslSecretName = 'uwsgi-ssl';
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

/**
 * The key and certificate are made once per API domain and kept in the vault: a re-run reuses them (an RSA key costs
 * a fifth of a second, and a fresh one each run would leave a new secret behind every time), and a new pair is made
 * only when the kept certificate is within the expiry warning window.
 */
export function sslSecret(domainParam: string, wizard: string, now: () => Date = () => new Date()): SecretSpec {
	return {
		name: sslSecretName,
		title: 'TLS key and self-signed certificate for the API domain (kept in your vault)',
		async generate(answers: Answers, vault: Vault) {
			const domain = answerText(answers, domainParam);
			const dir = vaultDir(answers, wizard, `tls-${domain}`);
			const kept = readVault(vault, dir, vaultFile);
			if (kept !== undefined && stillGood(kept, now())) {
				return kept;
			}

			const made = await selfSigned({commonName: domain, kind: 'server', days: 825});
			const value = `${made.privateKeyPem}${made.certificatePem}`;
			writeVault(vault, dir, vaultFile, value);
			return value;
		},
		fingerprint: value => `SHA256 ${certificateFingerprint(splitKeyAndCertificate(value).certificate)}`,
	};
}

/**
 * The files uwsgi.it's services/http.ini loads for its HTTPS router (`https = =1,/etc/uwsgi/ssl/uwsgi.it.crt,…key`),
 * whatever the API domain: a certificate under any other name is never read.
 */
export const uwsgiItSslPaths = {key: '/etc/uwsgi/ssl/uwsgi.it.key', certificate: '/etc/uwsgi/ssl/uwsgi.it.crt'} as const;

export function uwsgiSslStep(options: {wizard: string; role: string; domainParam: string}): Step {
	return defineStep({
		id: 'uwsgi-ssl',
		title: 'TLS certificate in /etc/uwsgi/ssl',
		why: "The guide keeps the node's SSL certificates in /etc/uwsgi/ssl, and uwsgi.it's services/http.ini loads uwsgi.it.crt and uwsgi.it.key from there. Until a real certificate exists, a self-signed one for the API domain under those names lets the HTTPS router start; the key is made on your machine, written with mode 0600 and never shown (its fingerprint is).",
		role: options.role,
		params: [options.domainParam, 'vault'],
		// The key with its mode: an existing key is kept, but never left readable by others.
		facts: () => ({key: fileWithMode(uwsgiItSslPaths.key), certificate: fileText(uwsgiItSslPaths.certificate)}),
		plan(ctx, facts) {
			const where = uwsgiItSslPaths;
			const currentKey = facts.key.text;
			const currentCertificate = facts.certificate;
			const keyMode = facts.key.mode;
			if (currentKey !== null && currentCertificate !== null) {
				// An existing key is kept, but never left readable by others.
				return plan(
					[
						keyMode !== undefined &&
							keyMode !== 0o600 && {kind: 'command', title: `chmod 600 ${where.key} (it was ${keyMode.toString(8)})`, script: `chmod 600 ${quote(where.key)}`},
					],
					[`${where.certificate} exists (SHA256 ${safeFingerprint(currentCertificate)}); it is kept.`],
				);
			}

			const pem = ctx.secrets.get(sslSecretName) ?? '';
			const {key, certificate} = splitKeyAndCertificate(pem);
			return plan(
				[fileChange(where.key, currentKey, key, {mode: 0o600, secret: true}), fileChange(where.certificate, currentCertificate, certificate, {mode: 0o644})],
				[`Self-signed certificate, SHA256 ${safeFingerprint(certificate)}.`],
			);
		},
		ansible(ctx) {
			const kept = join(vaultDir(ctx.answers, options.wizard, `tls-${answerText(ctx.answers, options.domainParam)}`), vaultFile);
			const copy = (name: string, path: string, mode: string, content: string) => ({
				name,
				// An existing key and certificate are kept, as the step keeps them; the key never shows in Ansible's output.
				'ansible.builtin.copy': {dest: path, content, mode, owner: 'root', group: 'root', force: false},
				no_log: true,
			});
			return {
				tasks: [
					copy(`The key from your vault (${kept}), mode 0600`, uwsgiItSslPaths.key, '0600', vaultLookup(kept, {before: '-----BEGIN CERTIFICATE-----'})),
					copy('The self-signed certificate from your vault', uwsgiItSslPaths.certificate, '0644', vaultLookup(kept, {from: '-----BEGIN CERTIFICATE-----'})),
					{name: `An existing key is never left readable by others`, 'ansible.builtin.file': {path: uwsgiItSslPaths.key, mode: '0600'}},
				],
			};
		},
		verify(ctx, facts) {
			const certificate = facts.certificate;
			return certificate === null
				? []
				: [certificateExpiryCheck('tls-expiry', `TLS certificate for ${answerText(ctx.answers, options.domainParam)}`, certificate)];
		},
	});
}

function safeFingerprint(pem: string): string {
	try {
		return certificateFingerprint(pem);
	} catch {
		return 'unreadable';
	}
}
