// The project CA of the cloudpipe guide (nova's CA/projects/<project_id>/), kept in the operator's vault:
// CA, VPN server certificate, client certificates (issued when a name is added) and the CRL (signed again
// when a name is revoked or when half of its lifetime has passed, long before OpenVPN would refuse everyone).
import {answerList, answerText} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {generateStaticKey, staticKeyFingerprint} from '../../source/keys/openvpn-static-key.js';
import {certificateFingerprint, createCa, createCrl, issueCertificate, readCrl, type RevokedCertificate} from '../../source/keys/pki.js';
import {sha256Hex} from '../../source/keys/fingerprint.js';
import type {Answers, SecretSpec, Vault} from '../../source/engine/types.js';
import {readVault, vaultDir, vaultValue, writeVault} from '../common/operator-vault.js';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';

export const cloudpipeSecrets = {
	ca: 'cloudpipe-ca',
	server: 'cloudpipe-server',
	tlsCrypt: 'cloudpipe-tls-crypt',
	clients: 'cloudpipe-clients',
	crl: 'cloudpipe-crl',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export function projectVault(answers: Answers): string {
	return vaultDir(answers, 'cloudpipe', answerText(answers, 'project'));
}

async function loadCa(answers: Answers, vault: Vault): Promise<string> {
	return vaultValue(vault, projectVault(answers), 'ca.pem', async () => {
		const ca = await createCa({commonName: `${answerText(answers, 'project')}-ca`, days: 3650});
		return `${ca.privateKeyPem}${ca.certificatePem}`;
	});
}

function issuer(pem: string): {privateKeyPem: string; certificatePem: string} {
	const {key, certificate} = splitKeyAndCertificate(pem);
	return {privateKeyPem: key, certificatePem: certificate};
}

function pemFingerprint(value: string): string {
	return `SHA256 ${certificateFingerprint(splitKeyAndCertificate(value).certificate)}`;
}

/** Serial (lowercase hex) of a client's certificate in the vault. */
function clientSerial(vault: Vault, dir: string, user: string): string | undefined {
	const pem = readVault(vault, dir, `clients/${user}.pem`);
	const line = pem?.split('\n').find(each => each.startsWith('# serial '));
	return line?.slice('# serial '.length);
}

export function cloudpipeSecretSpecs(renderProfile: (answers: Answers, vault: Vault, user: string, pem: string) => string): SecretSpec[] {
	return [
		{name: cloudpipeSecrets.ca, title: 'Project CA (key and certificate)', generate: loadCa, fingerprint: pemFingerprint},
		{
			name: cloudpipeSecrets.server,
			title: 'VPN server certificate and key, signed by the project CA',
			async generate(answers, vault) {
				const ca = issuer(await loadCa(answers, vault));
				return vaultValue(vault, projectVault(answers), 'server.pem', async () => {
					const made = await issueCertificate(ca, {kind: 'server', commonName: `cloudpipe-${answerText(answers, 'project')}`, days: 825});
					return `${made.privateKeyPem}${made.certificatePem}`;
				});
			},
			fingerprint: pemFingerprint,
		},
		{
			name: cloudpipeSecrets.tlsCrypt,
			title: 'tls-crypt key of the VPN',
			generate: async (answers, vault) => vaultValue(vault, projectVault(answers), 'tls-crypt.key', generateStaticKey),
			fingerprint: staticKeyFingerprint,
		},
		{
			// Issues a certificate for each new user and writes their .ovpn profile into the vault.
			name: cloudpipeSecrets.clients,
			title: 'Client certificates (profiles in the vault)',
			async generate(answers, vault) {
				const dir = projectVault(answers);
				const ca = issuer(await loadCa(answers, vault));
				const lines: string[] = [];
				for (const user of answerList(answers, 'clients')) {
					const pem = await vaultValue(vault, dir, `clients/${user}.pem`, async () => {
						const made = await issueCertificate(ca, {kind: 'client', commonName: `${user}@${answerText(answers, 'project')}`, days: 825});
						return `# serial ${made.serial}\n${made.privateKeyPem}${made.certificatePem}`;
					});
					await vaultValue(vault, dir, `clients/${user}.ovpn`, () => renderProfile(answers, vault, user, pem.replace(/^# serial .*\n/, '')));
					lines.push(`${user} ${clientSerial(vault, dir, user)}`);
				}

				return `${lines.join('\n')}\n`;
			},
			fingerprint: value =>
				`${value.trim().split('\n').filter(Boolean).length} client certificate(s); fingerprint of the list ${sha256Hex(value).slice(0, 16)}`,
		},
		{
			name: cloudpipeSecrets.crl,
			title: 'Certificate revocation list of the project',
			async generate(answers, vault) {
				const dir = projectVault(answers);
				const ca = issuer(await loadCa(answers, vault));
				const stored = JSON.parse(readVault(vault, dir, 'revoked.json') ?? '[]') as Array<{user: string; serial: string; date: string}>;
				const revoked = [...stored];
				for (const user of answerList(answers, 'revoke')) {
					const serial = clientSerial(vault, dir, user);
					if (serial === undefined) {
						throw new StepFailure(
							`revoke: ${user} has no certificate in ${dir}/clients, so there is nothing to revoke.`,
							'Check the spelling against the names in clients, then run again.',
						);
					}

					if (!revoked.some(entry => entry.serial === serial)) {
						revoked.push({user, serial, date: new Date().toISOString()});
					}
				}

				const days = Number(answerText(answers, 'crlDays'));
				const current = readVault(vault, dir, 'crl.pem');
				const summary = current === undefined ? undefined : readCrl(current);
				const sameList =
					summary !== undefined &&
					summary.revoked
						.map(entry => entry.serial)
						.sort()
						.join() ===
						revoked
							.map(entry => entry.serial)
							.sort()
							.join();
				const fresh = summary?.nextUpdate !== undefined && summary.nextUpdate.getTime() - Date.now() > (days * DAY_MS) / 2;
				if (current !== undefined && sameList && fresh) {
					return current;
				}

				const entries: RevokedCertificate[] = revoked.map(entry => ({serial: entry.serial, date: new Date(entry.date)}));
				// The VPN instance refuses a CRL whose number is not above the installed one's: the number must grow even when
				// this machine's clock stepped back, or two CRLs were signed in the same second.
				const now = BigInt(Math.floor(Date.now() / 1000));
				const previous = summary?.crlNumber;
				const crlNumber = previous !== undefined && previous >= now ? previous + 1n : now;
				const crl = createCrl(ca, {revoked: entries, nextUpdateDays: days, crlNumber});
				writeVault(vault, dir, 'revoked.json', `${JSON.stringify(revoked, null, '\t')}\n`);
				writeVault(vault, dir, 'crl.pem', crl);
				return crl;
			},
			fingerprint: value => {
				const crl = readCrl(value);
				return `${crl.revoked.length} revoked, next update ${crl.nextUpdate?.toISOString().slice(0, 10) ?? 'never'}`;
			},
		},
	];
}
