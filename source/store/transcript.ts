// One JSON line per event for each run; every known secret value is replaced before anything is written.
import {appendFileSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import stripAnsi from 'strip-ansi';
import type {EngineEvent} from '../engine/types.js';

export const redactedMark = '[secret]';

export function transcriptPath(home: string, runId: string): string {
	return join(home, 'transcripts', `${runId}.ndjson`);
}

/** Replaces every occurrence of each secret (and each of its lines, for multi-line keys) in a text. */
export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		for (const piece of [secret, ...secret.split('\n')]) {
			// Short fragments (a lone "-----" line) are not secret and would mangle the text.
			if (piece.trim().length >= 8) {
				result = result.replaceAll(piece, redactedMark);
			}
		}
	}

	return result;
}

export class Transcript {
	constructor(
		readonly path: string,
		private readonly secrets: () => readonly string[],
	) {
		mkdirSync(dirname(path), {recursive: true, mode: 0o700});
	}

	write(event: EngineEvent): void {
		const line = redact(stripAnsi(JSON.stringify({time: new Date().toISOString(), ...event})), this.secrets());
		appendFileSync(this.path, `${line}\n`, {mode: 0o600});
	}
}
