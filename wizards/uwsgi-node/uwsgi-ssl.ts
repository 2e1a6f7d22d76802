// The guide's /etc/uwsgi/ssl: a self-signed certificate for the API domain, made on the operator's machine.
import {splitKeyAndCertificate} from '../../source/keys/pem.js';
import {answerText} from '../../source/engine/params.js';
import {certificateFingerprint} from '../../source/keys/pki.js';
import {defineStep} from '../../source/engine/step.js';
import type {SecretSpec, Step} from '../../source/engine/types.js';
import {fileText, fileWithMode} from '../../source/facts/files.js';
import {certificateExpiryCheck} from '../common/expiry.js';
import {type KeptTls, keptTlsPath, keptTlsSecret, keptTlsTasks} from '../common/kept-tls.js';
import {fileChange, plan} from '../common/plan-helpers.js';
import {quote} from '../../source/targets/quote.js';

export const sslSecretName = 'uwsgi-ssl';
const keptTls = (domainParam: string, wizard: string): KeptTls => ({
	name: sslSecretName,
	title: 'TLS key and self-signed certificate for the API domain (kept in your vault)',
	wizard,
	nameParam: domainParam,
});

/** The key and certificate, made once per API domain and kept in the vault. */
export function sslSecret(domainParam: string, wizard: string, now: () => Date = () => new Date()): SecretSpec {
	return keptTlsSecret(keptTls(domainParam, wizard), now);
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
		ansible: ctx => ({tasks: keptTlsTasks(keptTlsPath(ctx.answers, keptTls(options.domainParam, options.wizard)), uwsgiItSslPaths)}),
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
