// PEM armour written once, with LF line ends (forge's own encoder writes CRLF, which ends up in config files).

import {KeyFormatError} from './key-format-error.js';

/** Cuts `text` into lines of `width` characters (the last may be shorter). */
export function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	for (let index = 0; index < text.length; index += width) {
		lines.push(text.slice(index, index + width));
	}

	return lines;
}

/** Wraps DER (or any binary body) as `-----BEGIN LABEL-----` … `-----END LABEL-----` with a trailing newline. */
export function pemEncode(label: string, body: Uint8Array, lineLength = 64): string {
	return [`-----BEGIN ${label}-----`, ...wrap(Buffer.from(body).toString('base64'), lineLength), `-----END ${label}-----`, ''].join('\n');
}

/** The body of the first `label` block in `text`; throws a {@link KeyFormatError} when there is none. */
export function pemDecode(label: string, text: string): Buffer {
	const begin = `-----BEGIN ${label}-----`;
	const end = `-----END ${label}-----`;
	const start = text.indexOf(begin);
	const stop = start === -1 ? -1 : text.indexOf(end, start + begin.length);
	if (stop === -1) {
		throw new KeyFormatError('PEM', `no complete "${begin}" block`);
	}

	const body = text.slice(start + begin.length, stop).replace(/\s+/g, '');
	if (!/^[A-Za-z\d+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
		throw new KeyFormatError('PEM', `the "${label}" block is not valid base64`);
	}

	return Buffer.from(body, 'base64');
}

/** The secret holds the key and the certificate, in that order, as one PEM text. */
export function splitKeyAndCertificate(pem: string): {key: string; certificate: string} {
	const at = pem.indexOf('-----BEGIN CERTIFICATE-----');
	return {key: pem.slice(0, at), certificate: pem.slice(at)};
}
