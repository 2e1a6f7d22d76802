// The one list of a run's secrets and the one redaction: every secret value is replaced before anything leaves
// the engine. Public material inside a secret value (a certificate next to its key) and whitespace never are.
import type {Answers, Wizard} from './types.js';

export const redactedMark = '[secret]';

/** PEM blocks anyone may see: certificates, public keys and CRLs; a key made with them stays secret. */
const publicBlock = /-----BEGIN (CERTIFICATE|PUBLIC KEY|X509 CRL|TRUSTED CERTIFICATE)-----[\s\S]*?-----END \1-----/g;

/** The parts of a secret value that must never be shown: public PEM blocks cut out, each piece trimmed. */
export function secretPieces(secret: string): string[] {
	const pieces: string[] = [];
	const remains = secret.replace(publicBlock, '\n');
	const whole = remains.trim();
	if (whole === '') {
		return pieces;
	}

	pieces.push(whole);
	// Each long line of a multi-line secret (a key block) on its own; short fragments such as a lone "-----" are not
	// secret and would mangle the text.
	for (const line of whole.split('\n')) {
		const piece = line.trim();
		if (piece.length >= 8 && piece !== whole && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(piece)) {
			pieces.push(piece);
		}
	}

	return pieces;
}

/** The pieces to replace, longest first so a whole key goes as one mark; worked out once per redaction, not per string. */
function piecesOf(secrets: readonly string[]): string[] {
	return [...new Set(secrets.flatMap(secret => secretPieces(secret)))].sort((a, b) => b.length - a.length);
}

function replacePieces(text: string, pieces: readonly string[]): string {
	let result = text;
	for (const piece of pieces) {
		result = result.replaceAll(piece, redactedMark);
	}

	return result;
}

/** Replaces every occurrence of each secret, whatever its length; longest pieces first so a whole key goes as one mark. */
export function redact(text: string, secrets: readonly string[]): string {
	return replacePieces(text, piecesOf(secrets));
}

/**
 * Redacts every string inside a value (an event, a run record), before it is encoded anywhere. The secrets are cut
 * into pieces once for the whole value: an output event carries a thousand lines, and cutting a key block per line
 * cost seconds per 200,000 lines. With no secret the value itself comes back.
 */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	const pieces = piecesOf(secrets);
	return pieces.length === 0 ? value : redactWith(value, pieces);
}

function redactWith<T>(value: T, pieces: readonly string[]): T {
	if (typeof value === 'string') {
		return replacePieces(value, pieces) as T;
	}

	if (Array.isArray(value)) {
		return value.map(item => redactWith(item, pieces) as unknown) as T;
	}

	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactWith(item, pieces)])) as T;
	}

	return value;
}

/** Every secret value of a run: made keys, secret answers and extra ones (the sudo password). The one list. */
export function secretValuesOf(wizard: Wizard, answers: Answers, made: ReadonlyMap<string, string>, extra: readonly string[] = []): string[] {
	const secretParams = wizard.params.filter(param => param.type === 'secret').map(param => String(answers[param.name] ?? ''));
	return [...made.values(), ...secretParams, ...extra].filter(value => value.trim() !== '');
}
