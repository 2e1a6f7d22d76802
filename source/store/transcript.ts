// One JSON line per event for each run; every known secret value is replaced before anything is written.
import {appendFileSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import stripAnsi from 'strip-ansi';
import type {EngineEvent} from '../engine/types.js';

export const redactedMark = '[secret]';

export function transcriptPath(home: string, runId: string): string {
	return join(home, 'transcripts', `${runId}.ndjson`);
}

/**
 * Replaces every occurrence of each secret, whatever its length, and each long line of a multi-line secret
 * (a key block); short fragments such as a lone "-----" are not secret and would mangle the text.
 */
export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret === '') {
			continue;
		}

		result = result.replaceAll(secret, redactedMark);
		for (const piece of secret.split('\n')) {
			if (piece.trim().length >= 8) {
				result = result.replaceAll(piece, redactedMark);
			}
		}
	}

	return result;
}

/** Redacts every string inside a value (an event, a run record), before it is encoded anywhere. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	if (typeof value === 'string') {
		return redact(value, secrets) as T;
	}

	if (Array.isArray(value)) {
		return value.map(item => redactDeep(item, secrets) as unknown) as T;
	}

	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, secrets)])) as T;
	}

	return value;
}

export class Transcript {
	constructor(
		readonly path: string,
		private readonly secrets: () => readonly string[],
	) {
		mkdirSync(dirname(path), {recursive: true, mode: 0o700});
	}

	write(event: EngineEvent): void {
		const line = stripAnsi(JSON.stringify(redactDeep({time: new Date().toISOString(), ...event}, this.secrets())));
		appendFileSync(this.path, `${line}\n`, {mode: 0o600});
	}
}
