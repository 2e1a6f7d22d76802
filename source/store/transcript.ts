// One JSON line per event for each run. Events arrive redacted (the engine's event bus is the one redaction point).
import {appendFileSync, closeSync, fstatSync, openSync, readSync, truncateSync} from 'node:fs';
import {dirname, join} from 'node:path';
import stripAnsi from 'strip-ansi';
import {onStorage} from '../engine/errors.js';
import type {EventSink} from '../engine/event-bus.js';
import type {EngineEvent} from '../engine/types.js';
import {privateDir} from './atomic-file.js';

export {redact, redactDeep, redactedMark} from '../engine/redact.js';

export function transcriptPath(home: string, runId: string): string {
	return join(home, 'transcripts', `${runId}.ndjson`);
}

export class Transcript implements EventSink {
	constructor(readonly path: string) {
		privateDir(dirname(path));
		onStorage(path, 'write', () => {
			repairTornLine(path);
		});
	}

	write(event: EngineEvent): void {
		const line = stripAnsi(JSON.stringify({time: new Date().toISOString(), ...event}));
		onStorage(this.path, 'write', () => {
			appendFileSync(this.path, `${line}\n`, {mode: 0o600});
		});
	}
}

/** A run killed mid-line leaves half a JSON line: cut it back to the last newline before appending more. */
export function repairTornLine(path: string): void {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return;
		}

		throw error;
	}

	try {
		const {size} = fstatSync(fd);
		// Read back in blocks from the end until a newline is found (a line is a few KiB at most).
		const block = Buffer.alloc(64 * 1024);
		let end = size;
		while (end > 0) {
			const start = Math.max(0, end - block.length);
			const read = readSync(fd, block, 0, end - start, start);
			const newline = block.subarray(0, read).lastIndexOf(0x0a);
			if (newline !== -1) {
				const keep = start + newline + 1;
				if (keep !== size) {
					truncateSync(path, keep);
				}

				return;
			}

			end = start;
		}

		if (size > 0) {
			truncateSync(path, 0);
		}
	} finally {
		closeSync(fd);
	}
}
