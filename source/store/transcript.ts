// One JSON line per event for each run. Events arrive redacted (the engine's event bus is the one redaction point).
import {appendFileSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import stripAnsi from 'strip-ansi';
import type {EventSink} from '../engine/event-bus.js';
import type {EngineEvent} from '../engine/types.js';

export {redact, redactDeep, redactedMark} from '../engine/redact.js';

export function transcriptPath(home: string, runId: string): string {
	return join(home, 'transcripts', `${runId}.ndjson`);
}

export class Transcript implements EventSink {
	constructor(readonly path: string) {
		mkdirSync(dirname(path), {recursive: true, mode: 0o700});
	}

	write(event: EngineEvent): void {
		const line = stripAnsi(JSON.stringify({time: new Date().toISOString(), ...event}));
		appendFileSync(this.path, `${line}\n`, {mode: 0o600});
	}
}
