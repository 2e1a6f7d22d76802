// A small X.509 PKI made on the operator's machine: a per-project CA, server/client certificates, self-signed
// certificates and CRLs, with the extensions OpenVPN's `remote-cert-tls` and TLS clients check (PITFALLS §6).

import {generateKeyPair, randomBytes, sign, X509Certificate} from 'node:crypto';
import {isIP} from 'node:net';
import {promisify} from 'node:util';
import {createRequire} from 'node:module';
import type Forge from 'node-forge';
import {KeyFormatError} from './key-format-error.js';
import {sha256Colon} from './fingerprint.js';
import {pemDecode, pemEncode} from './pem.js';

/** What a leaf certificate is for: `server` gets serverAuth, `client` gets clientAuth. */
export type CertificateKind = 'server' | 'client';

/** A certificate with its private key, all PEM text ready for files. */
export interface CertificateAndKey {
	/** `-----BEGIN CERTIFICATE-----`, LF line ends, trailing newline. */
	readonly certificatePem: string;
	/** Unencrypted PKCS#8 `-----BEGIN PRIVATE KEY-----` (RSA 2048); secret, write it 0600. */
	readonly privateKeyPem: string;
	/** Serial number in lowercase hex without leading zeros, as {@link createCrl} takes it. */
	readonly serial: string;
	/** SHA-256 of the DER certificate in colon hex, see {@link certificateFingerprint}. */
	readonly fingerprint: string;
}

/** A certificate authority is a certificate and key like any other; only its extensions differ. */
export type CertificateAuthority = CertificateAndKey;

/** What signing needs from a CA; a {@link CertificateAuthority} or one read back from its files. */
export interface Issuer {
	readonly certificatePem: string;
	readonly privateKeyPem: string;
}

/** Options shared by every certificate. */
export interface CertificateOptions {
	/** Subject CN: 1 to 64 characters, no control characters. */
	readonly commonName: string;
	/** Days the certificate is valid, counted from `now`. Not clamped to the issuing CA's own expiry. */
	readonly days: number;
	/** The issuing time; defaults to the current time. notBefore is one hour earlier, for hosts whose clock lags. */
	readonly now?: Date;
}

/** Options of {@link createCa}. */
export type CaOptions = CertificateOptions;

/** Options of {@link issueCertificate}. */
export interface IssueOptions extends CertificateOptions {
	readonly kind: CertificateKind;
	/** Serial number in hex (colons allowed); defaults to 16 random bytes, positive. */
	readonly serial?: string;
	/** DNS names and IP addresses for subjectAltName; see {@link selfSigned} for the default. */
	readonly altNames?: readonly string[];
}

/** Options of {@link selfSigned}. */
export interface SelfSignedOptions extends CertificateOptions {
	readonly kind: CertificateKind;
	/**
	 * DNS names (`example.org`, `*.example.org`) and IP addresses for subjectAltName. TLS clients match the host
	 * against these, not the CN; for a server it defaults to the CN when the CN is a host name or an address.
	 */
	readonly altNames?: readonly string[];
}

/** One revoked certificate in a CRL. */
export interface RevokedCertificate {
	/** Serial number in hex (colons allowed), as in {@link CertificateAndKey.serial} or `openssl x509 -serial`. */
	readonly serial: string;
	/** When it was revoked. */
	readonly date: Date;
}

/** Options of {@link createCrl}. */
export interface CrlOptions {
	/** Every certificate still revoked; a CRL replaces the previous one, so carry the old entries over. */
	readonly revoked: readonly RevokedCertificate[];
	/** Days until nextUpdate. After it, OpenVPN rejects EVERY client ("CRL has expired"): re-issue well before. */
	readonly nextUpdateDays: number;
	/** The issuing time; defaults to the current time. thisUpdate is one hour earlier ("CRL is not yet valid" otherwise on a lagging host). */
	readonly now?: Date;
	/** cRLNumber; must grow with each CRL. Defaults to the issuing time in seconds since 1970, which does. */
	readonly crlNumber?: bigint;
}

/** What a CRL says, read back by {@link readCrl}. */
export interface CrlSummary {
	readonly thisUpdate: Date;
	readonly nextUpdate: Date | undefined;
	readonly crlNumber: bigint | undefined;
	readonly revoked: readonly RevokedCertificate[];
}

/** Key usage names as in openssl configs. */
export type KeyUsageName =
	| 'digitalSignature'
	| 'nonRepudiation'
	| 'keyEncipherment'
	| 'dataEncipherment'
	| 'keyAgreement'
	| 'keyCertSign'
	| 'cRLSign'
	| 'encipherOnly'
	| 'decipherOnly';

/** The usage-related extensions of a certificate, for checks and for the UI. */
export interface KeyUsageSummary {
	/** basicConstraints CA:TRUE. */
	readonly ca: boolean;
	readonly keyUsage: readonly KeyUsageName[];
	/** `serverAuth`, `clientAuth`, … (unknown purposes as dotted OIDs). */
	readonly extendedKeyUsage: readonly string[];
	/** Which `remote-cert-tls` values OpenVPN 2.6 accepts this certificate for (it needs a keyUsage and the EKU). */
	readonly remoteCertTls: readonly CertificateKind[];
	/** One line, e.g. `CA:FALSE keyUsage=digitalSignature extendedKeyUsage=clientAuth`. */
	readonly text: string;
}

/** RSA modulus size for every key made here. */
export const RSA_BITS = 2048;

// notBefore and thisUpdate are set this far back, so a host whose clock runs a little slow accepts them at once.
const BACKDATE_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DAYS = 36_500;
const SERIAL_BYTES = 16;
const FORMAT = 'X.509';
const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';
const OID_CRL_NUMBER = '2.5.29.20';
const KEY_USAGES: readonly KeyUsageName[] = [
	'digitalSignature',
	'nonRepudiation',
	'keyEncipherment',
	'dataEncipherment',
	'keyAgreement',
	'keyCertSign',
	'cRLSign',
	'encipherOnly',
	'decipherOnly',
];

// node-forge (600 KB) is loaded when a key, certificate or CRL is first made or read, not when a guide loads: the
// home screen, list and answers never need it. It is CommonJS, so require() loads it at once, where it is first used.
let forge: typeof Forge;
let asn1: typeof Forge.asn1;
let pki: typeof Forge.pki;
function loadForge(): void {
	if (forge === undefined) {
		forge = createRequire(import.meta.url)('node-forge') as typeof Forge;
		({asn1, pki} = forge);
	}
}
const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A new per-project CA: self-signed, basicConstraints critical CA:TRUE, keyUsage critical keyCertSign,cRLSign.
 *
 * Async because of the RSA key; node:crypto finds it in libuv's thread pool (tens to a few hundred ms).
 */
export async function createCa(options: CaOptions): Promise<CertificateAuthority> {
	loadForge();
	const {commonName, notBefore, notAfter} = checkCommon(options);
	const keys = await newRsaKey();
	const cert = newCertificate(keys.publicKey, randomSerial(), commonName, notBefore, notAfter);
	cert.setIssuer(cert.subject.attributes);
	const keyId = cert.generateSubjectKeyIdentifier().getBytes();
	cert.setExtensions([
		{name: 'basicConstraints', cA: true, critical: true},
		{name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
		{name: 'subjectKeyIdentifier'},
		{name: 'authorityKeyIdentifier', keyIdentifier: keyId},
	]);
	return finish(cert, keys.privateKey, keys.privateKeyPem);
}

/**
 * A server or client certificate signed by `ca`.
 *
 * server: keyUsage digitalSignature,keyEncipherment + extendedKeyUsage serverAuth (+ subjectAltName);
 * client: keyUsage digitalSignature + extendedKeyUsage clientAuth. Both CA:FALSE, keyUsage critical, with SKI and
 * an AKI naming the CA's key. Throws a {@link KeyFormatError} when `ca` is not a CA or its key does not match.
 */
export async function issueCertificate(ca: Issuer, options: IssueOptions): Promise<CertificateAndKey> {
	loadForge();
	const {commonName, notBefore, notAfter} = checkCommon(options);
	const serial = options.serial === undefined ? randomSerial() : normalizeSerial(options.serial);
	const altNames = leafAltNames(options.kind, commonName, options.altNames);
	const {caCert, caKey} = readIssuer(ca, 'keyCertSign');
	const keys = await newRsaKey();
	const cert = newCertificate(keys.publicKey, serial, commonName, notBefore, notAfter);
	cert.setIssuer(caCert.subject.attributes);
	cert.setExtensions([...leafExtensions(options.kind, altNames), {name: 'authorityKeyIdentifier', keyIdentifier: subjectKeyId(caCert)}]);
	return finish(cert, caKey, keys.privateKeyPem);
}

/**
 * A self-signed server or client certificate with leaf usages (CA:FALSE): for OpenVPN's `peer-fingerprint`
 * mode (no CA at all) and for an HTTPS certificate (nginx, uwsgi) until a real one exists.
 */
export async function selfSigned(options: SelfSignedOptions): Promise<CertificateAndKey> {
	loadForge();
	const {commonName, notBefore, notAfter} = checkCommon(options);
	const altNames = leafAltNames(options.kind, commonName, options.altNames);
	const keys = await newRsaKey();
	const cert = newCertificate(keys.publicKey, randomSerial(), commonName, notBefore, notAfter);
	cert.setIssuer(cert.subject.attributes);
	const keyId = cert.generateSubjectKeyIdentifier().getBytes();
	cert.setExtensions([...leafExtensions(options.kind, altNames), {name: 'authorityKeyIdentifier', keyIdentifier: keyId}]);
	return finish(cert, keys.privateKey, keys.privateKeyPem);
}

/**
 * A v2 CRL signed by `ca` with sha256WithRSAEncryption, in PEM (`-----BEGIN X509 CRL-----`).
 *
 * forge has no CRL writer, so the RFC 5280 §5.1 structure is built here: version v2, the CA's subject as
 * issuer (copied byte for byte), thisUpdate/nextUpdate, the revoked serials (the field is left out when
 * there are none, as DER requires), and the authorityKeyIdentifier and cRLNumber extensions.
 * Synchronous: only one RSA signature (a few ms).
 */
export function createCrl(ca: Issuer, options: CrlOptions): string {
	loadForge();
	const now = checkDate(options.now ?? new Date(), 'now');
	const days = checkDays(options.nextUpdateDays, 'nextUpdateDays');
	const {caCert} = readIssuer(ca, 'cRLSign');
	const seen = new Set<string>();
	const entries = options.revoked.map(({serial, date}) => {
		const hex = normalizeSerial(serial);
		if (seen.has(hex)) {
			throw new KeyFormatError(FORMAT, `serial ${hex} is listed twice in the CRL`);
		}

		seen.add(hex);
		return node('SEQUENCE', [integer(hex), time(checkDate(date, `revocation date of ${hex}`))]);
	});
	const thisUpdate = new Date(now.getTime() - BACKDATE_MS);
	const nextUpdate = new Date(now.getTime() + days * DAY_MS);
	const crlNumber = options.crlNumber ?? BigInt(Math.floor(now.getTime() / 1000));
	if (crlNumber < 0n) {
		throw new KeyFormatError(FORMAT, 'the CRL number must not be negative');
	}

	const extensions = node('SEQUENCE', [
		extension(OID_AUTHORITY_KEY_ID, node('SEQUENCE', [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, subjectKeyId(caCert))])),
		extension(OID_CRL_NUMBER, integer(crlNumber.toString(16))),
	]);
	const tbs = node('SEQUENCE', [
		integer('1'), // v2: required because of the extensions
		sha256WithRsa(),
		subjectName(ca.certificatePem),
		time(thisUpdate),
		time(nextUpdate),
		...(entries.length === 0 ? [] : [node('SEQUENCE', entries)]),
		asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [extensions]),
	]);
	const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
	// RSASSA-PKCS1-v1_5 over SHA-256, which is what sha256WithRSAEncryption names.
	const signature = sign('sha256', tbsDer, ca.privateKeyPem);
	const crl = node('SEQUENCE', [tbs, sha256WithRsa(), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`)]);
	return pemEncode('X509 CRL', Buffer.from(asn1.toDer(crl).getBytes(), 'binary'));
}

/** Reads back what a CRL says (the signature is not checked): to carry revoked entries over and to watch nextUpdate. */
export function readCrl(pem: string): CrlSummary {
	loadForge();
	const crl = asn1.fromDer(forge.util.createBuffer(pemDecode('X509 CRL', pem).toString('binary')));
	const tbs = children(crl)[0];
	const fields = children(tbs);
	// version is OPTIONAL: v1 CRLs start straight with the signature algorithm.
	let index = fields[0]?.type === asn1.Type.INTEGER ? 1 : 0;
	index += 2; // signature, issuer
	const thisUpdate = readTime(fields[index++]);
	const maybeNext = fields[index];
	const nextUpdate = maybeNext !== undefined && isTime(maybeNext) ? readTime(fields[index++]) : undefined;
	const maybeList = fields[index];
	const revoked =
		maybeList !== undefined && maybeList.tagClass === asn1.Class.UNIVERSAL && maybeList.type === asn1.Type.SEQUENCE
			? children(fields[index++]).map(entry => {
					const [serial, date] = children(entry);
					return {serial: readSerial(serial), date: readTime(date)};
				})
			: [];
	let crlNumber: bigint | undefined;
	const wrapper = fields[index];
	if (wrapper?.tagClass === asn1.Class.CONTEXT_SPECIFIC && wrapper.type === 0) {
		for (const ext of children(children(wrapper)[0])) {
			const [oid, ...rest] = children(ext);
			const value = rest.at(-1);
			if (oid !== undefined && asn1.derToOid(forge.util.createBuffer(String(oid.value))) === OID_CRL_NUMBER && value !== undefined) {
				const inner = asn1.fromDer(forge.util.createBuffer(String(value.value)));
				crlNumber = BigInt(`0x${readUnsigned(inner)}`);
			}
		}
	}

	return {thisUpdate, nextUpdate, crlNumber, revoked};
}

/** SHA-256 of the DER certificate as `AB:CD:…`: what `openssl x509 -fingerprint -sha256` prints and `peer-fingerprint` takes. */
export function certificateFingerprint(pem: string): string {
	loadForge();
	return sha256Colon(certificateDer(pem));
}

/** The usage extensions of a certificate and the `remote-cert-tls` values it satisfies. */
export function keyUsageSummary(pem: string): KeyUsageSummary {
	loadForge();
	const cert = readCertificate(pem);
	const basic = cert.getExtension('basicConstraints') as {cA?: boolean} | null;
	const usage = cert.getExtension('keyUsage') as Partial<Record<KeyUsageName, boolean>> | null;
	const extended = cert.getExtension('extKeyUsage') as Record<string, unknown> | null;
	const keyUsage = KEY_USAGES.filter(name => usage?.[name] === true);
	const extendedKeyUsage = Object.keys(extended ?? {}).filter(name => extended?.[name] === true);
	const ca = basic?.cA === true;
	// OpenVPN 2.6: remote-cert-tls = "some keyUsage present" + the EKU by name.
	const remoteCertTls = (['server', 'client'] as const).filter(
		kind => usage !== null && keyUsage.length > 0 && extendedKeyUsage.includes(kind === 'server' ? 'serverAuth' : 'clientAuth'),
	);
	const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(','));
	return {
		ca,
		keyUsage,
		extendedKeyUsage,
		remoteCertTls,
		text: `CA:${ca ? 'TRUE' : 'FALSE'} keyUsage=${list(keyUsage)} extendedKeyUsage=${list(extendedKeyUsage)}`,
	};
}

// --- keys and certificates

interface RsaKey {
	readonly publicKey: Forge.pki.rsa.PublicKey;
	readonly privateKey: Forge.pki.rsa.PrivateKey;
	readonly privateKeyPem: string;
}

// node:crypto rather than forge's pure-JS search: same CSPRNG, off the main thread, 10–100× faster.
async function newRsaKey(): Promise<RsaKey> {
	const {privateKey} = await generateKeyPairAsync('rsa', {
		modulusLength: RSA_BITS,
		publicExponent: 0x10001,
		publicKeyEncoding: {type: 'spki', format: 'pem'},
		privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
	});
	const forgeKey = pki.privateKeyFromPem(privateKey);
	return {privateKey: forgeKey, publicKey: pki.setRsaPublicKey(forgeKey.n, forgeKey.e), privateKeyPem: privateKey};
}

function newCertificate(publicKey: Forge.pki.rsa.PublicKey, serial: string, commonName: string, notBefore: Date, notAfter: Date): Forge.pki.Certificate {
	const cert = pki.createCertificate();
	cert.publicKey = publicKey;
	// forge writes these hex bytes as the INTEGER's content as they are, so the sign byte must be there already.
	cert.serialNumber = derIntegerHex(serial);
	cert.validity.notBefore = notBefore;
	cert.validity.notAfter = notAfter;
	// UTF8String: forge's default PrintableString cannot hold "_", "@" or "*", common in CNs. (@types/node-forge mistypes the field.)
	cert.setSubject([{name: 'commonName', value: commonName, valueTagClass: asn1.Type.UTF8 as unknown as Forge.asn1.Class}]);
	return cert;
}

function leafExtensions(kind: CertificateKind, altNames: readonly string[]): object[] {
	const extensions: object[] = [
		{name: 'basicConstraints', cA: false},
		kind === 'server'
			? {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true}
			: {name: 'keyUsage', digitalSignature: true, critical: true},
		kind === 'server' ? {name: 'extKeyUsage', serverAuth: true} : {name: 'extKeyUsage', clientAuth: true},
		{name: 'subjectKeyIdentifier'},
	];
	if (altNames.length > 0) {
		extensions.push({
			name: 'subjectAltName',
			altNames: altNames.map(name => (isIP(name) === 0 ? {type: 2, value: name} : {type: 7, value: ipBytes(name)})),
		});
	}

	return extensions;
}

function finish(cert: Forge.pki.Certificate, signingKey: Forge.pki.rsa.PrivateKey, privateKeyPem: string): CertificateAndKey {
	cert.sign(signingKey, forge.md.sha256.create());
	const certificatePem = pemEncode('CERTIFICATE', Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary'));
	return {certificatePem, privateKeyPem, serial: normalizeSerial(cert.serialNumber), fingerprint: certificateFingerprint(certificatePem)};
}

// The CA's certificate and key, checked to belong together and to allow `usage`: a mistake here fails on every host later.
function readIssuer(ca: Issuer, usage: 'keyCertSign' | 'cRLSign'): {caCert: Forge.pki.Certificate; caKey: Forge.pki.rsa.PrivateKey} {
	const caCert = readCertificate(ca.certificatePem);
	let caKey: Forge.pki.rsa.PrivateKey;
	try {
		caKey = pki.privateKeyFromPem(ca.privateKeyPem);
	} catch {
		throw new KeyFormatError(FORMAT, 'cannot read the CA private key; expected an unencrypted RSA key in PEM');
	}

	if (!samePublicKey(caCert.publicKey, caKey)) {
		throw new KeyFormatError(FORMAT, 'the CA private key does not belong to the CA certificate');
	}

	const summary = keyUsageSummary(ca.certificatePem);
	if (!summary.ca || (summary.keyUsage.length > 0 && !summary.keyUsage.includes(usage))) {
		throw new KeyFormatError(FORMAT, `the issuer is not a CA allowed to ${usage === 'cRLSign' ? 'sign CRLs' : 'sign certificates'} (${summary.text})`);
	}

	return {caCert, caKey};
}

function readCertificate(pem: string): Forge.pki.Certificate {
	try {
		return pki.certificateFromPem(pem);
	} catch (error) {
		throw new KeyFormatError(
			FORMAT,
			`cannot read the certificate (${error instanceof Error ? error.message : String(error)}); only RSA certificates are supported`,
		);
	}
}

function certificateDer(pem: string): Buffer {
	try {
		return new X509Certificate(pem).raw;
	} catch {
		throw new KeyFormatError(FORMAT, 'not a PEM certificate ("-----BEGIN CERTIFICATE-----")');
	}
}

function samePublicKey(publicKey: Forge.pki.PublicKey, privateKey: Forge.pki.rsa.PrivateKey): boolean {
	const rsa = publicKey as Forge.pki.rsa.PublicKey;
	return rsa.n?.equals(privateKey.n) && rsa.e.equals(privateKey.e);
}

// The CA's own SKI when it has one (AKI must match it); else RFC 5280's method 1 over its key.
function subjectKeyId(caCert: Forge.pki.Certificate): string {
	const ski = caCert.getExtension('subjectKeyIdentifier') as {subjectKeyIdentifier?: string} | null;
	return ski?.subjectKeyIdentifier === undefined ? caCert.generateSubjectKeyIdentifier().getBytes() : forge.util.hexToBytes(ski.subjectKeyIdentifier);
}

// The subject exactly as encoded in the CA certificate: a CRL's issuer must match it.
function subjectName(pem: string): Forge.asn1.Asn1 {
	const certificate = asn1.fromDer(forge.util.createBuffer(certificateDer(pem).toString('binary')));
	const fields = children(children(certificate)[0]);
	const offset = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
	const subject = fields[offset + 4];
	if (subject === undefined) {
		throw new KeyFormatError(FORMAT, 'the CA certificate has no subject');
	}

	return subject;
}

// --- validation

function checkCommon(options: CertificateOptions): {commonName: string; notBefore: Date; notAfter: Date} {
	const {commonName} = options;
	if (commonName.length === 0 || commonName.length > 64 || /[\x00-\x1f\x7f]/.test(commonName)) {
		throw new KeyFormatError(FORMAT, 'the common name must be 1 to 64 characters without control characters');
	}

	const now = checkDate(options.now ?? new Date(), 'now');
	const days = checkDays(options.days, 'days');
	return {commonName, notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS)};
}

function checkDays(days: number, field: string): number {
	if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
		throw new KeyFormatError(FORMAT, `${field} must be a whole number of days from 1 to ${MAX_DAYS}, got ${days}`);
	}

	return days;
}

function checkDate(date: Date, field: string): Date {
	if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
		throw new KeyFormatError(FORMAT, `${field} is not a valid date`);
	}

	// Whole seconds: X.509 times have no fractions, and a round trip must compare equal.
	return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// 16 random bytes with the top bit clear (positive) and the next one set (no leading zero byte, fixed length).
function randomSerial(): string {
	const bytes = randomBytes(SERIAL_BYTES);
	bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
	return bytes.toString('hex');
}

// Lowercase hex without leading zeros; at most 20 bytes and positive (RFC 5280 §4.1.2.2).
function normalizeSerial(serial: string): string {
	const hex = serial.trim().replace(/^0x/i, '').replaceAll(':', '').toLowerCase().replace(/^0+/, '');
	if (!/^[\da-f]+$/.test(hex) || hex.length > 40) {
		throw new KeyFormatError(FORMAT, `serial "${serial}" must be a positive hex number of at most 20 bytes`);
	}

	return hex;
}

function leafAltNames(kind: CertificateKind, commonName: string, altNames: readonly string[] | undefined): readonly string[] {
	if (altNames === undefined) {
		return kind === 'server' && (isIP(commonName) !== 0 || isDnsName(commonName)) ? [commonName] : [];
	}

	for (const name of altNames) {
		// A zone (fe80::1%eth0) is local to one host and has no place in a certificate.
		if ((isIP(name) === 0 && !isDnsName(name)) || name.includes('%')) {
			throw new KeyFormatError(FORMAT, `"${name}" is neither a DNS name nor an IP address, so it cannot go in subjectAltName`);
		}
	}

	return altNames;
}

function isDnsName(name: string): boolean {
	const label = '[a-z\\d](?:[a-z\\d-]{0,61}[a-z\\d])?';
	return name.length <= 253 && new RegExp(`^(?:\\*\\.)?(?:${label}\\.)*${label}$`, 'i').test(name);
}

// Network-order bytes of an address; IPv6 goes through the URL parser, which expands "::" and embedded IPv4.
function ipBytes(address: string): string {
	if (isIP(address) === 4) {
		return String.fromCharCode(...address.split('.').map(Number));
	}

	const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
	const [head = '', tail] = canonical.split('::');
	const headGroups = head === '' ? [] : head.split(':');
	const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
	const groups = [...headGroups, ...Array.from({length: 8 - headGroups.length - tailGroups.length}, () => '0'), ...tailGroups];
	return groups.map(group => String.fromCharCode(Number.parseInt(group, 16) >> 8, Number.parseInt(group, 16) & 0xff)).join('');
}

// --- ASN.1 building blocks

function node(type: 'SEQUENCE', value: Forge.asn1.Asn1[]): Forge.asn1.Asn1 {
	return asn1.create(asn1.Class.UNIVERSAL, asn1.Type[type], true, value);
}

// The content octets of a DER INTEGER for non-negative hex: minimal, plus a 00 byte when the top bit would read as a sign.
function derIntegerHex(hex: string): string {
	let even = hex.replace(/^0+(?=.)/, '');
	even = even.length % 2 === 0 ? even : `0${even}`;
	return Number.parseInt(even.slice(0, 2), 16) >= 0x80 ? `00${even}` : even;
}

function integer(hex: string): Forge.asn1.Asn1 {
	return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(derIntegerHex(hex)));
}

// UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §5.1.2.4).
function time(date: Date): Forge.asn1.Asn1 {
	return date.getUTCFullYear() < 2050
		? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
		: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function sha256WithRsa(): Forge.asn1.Asn1 {
	return node('SEQUENCE', [
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID_SHA256_WITH_RSA).getBytes()),
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
	]);
}

// Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE (left out), extnValue OCTET STRING (DER of the value) }.
function extension(oid: string, value: Forge.asn1.Asn1): Forge.asn1.Asn1 {
	return node('SEQUENCE', [
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()),
	]);
}

// --- ASN.1 reading

function children(value: Forge.asn1.Asn1 | undefined): Forge.asn1.Asn1[] {
	if (value === undefined || !Array.isArray(value.value)) {
		throw new KeyFormatError(FORMAT, 'the CRL structure is not what RFC 5280 describes');
	}

	return value.value;
}

function isTime(value: Forge.asn1.Asn1): boolean {
	return value.tagClass === asn1.Class.UNIVERSAL && (value.type === asn1.Type.UTCTIME || value.type === asn1.Type.GENERALIZEDTIME);
}

function readTime(value: Forge.asn1.Asn1 | undefined): Date {
	if (value === undefined || !isTime(value)) {
		throw new KeyFormatError(FORMAT, 'the CRL has a missing or malformed time');
	}

	return value.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(String(value.value)) : asn1.generalizedTimeToDate(String(value.value));
}

function readSerial(value: Forge.asn1.Asn1 | undefined): string {
	return normalizeSerial(readUnsigned(value));
}

// Hex of a DER INTEGER that must not be negative (serials, cRLNumber).
function readUnsigned(value: Forge.asn1.Asn1 | undefined): string {
	const hex = value?.type === asn1.Type.INTEGER && typeof value.value === 'string' ? forge.util.bytesToHex(value.value) : '';
	if (hex === '' || Number.parseInt(hex.slice(0, 2), 16) >= 0x80) {
		throw new KeyFormatError(FORMAT, 'the CRL has a malformed or negative number');
	}

	return hex;
}
