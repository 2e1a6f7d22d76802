// One JSON line per event for each run; every known secret value is replaced before anything is written.
import {appendFileSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import stripAnsi from 'strip-ansi';
import {redactDeep} from '../engine/redact.js';
import type {EngineEvent} from '../engine/types.js';

export {redact, redactDeep, redactedMark} from '../engine/redact.js';

export function transcriptPath(home: string, runId: string): string {
	return join(home, 'transcripts', `${runId}.ndjson`);
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
