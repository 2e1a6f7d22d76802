// One JSON object per event on its own line, ANSI stripped: for scripts and CI logs.
import stripAnsi from 'strip-ansi';
import type {RunChannel} from '../engine/channel.js';
import type {RunStatus} from '../engine/types.js';

/**
 * Writes every event as one JSON line until `run-end`; resolves with the run's status.
 * Nobody can answer in JSON mode: a prompt is answered `abort` (pass `--yes` so none is asked).
 */
export async function renderJson(channel: RunChannel, stdout: NodeJS.WritableStream): Promise<RunStatus> {
	return new Promise(resolve => {
		const unsubscribe = channel.subscribe(event => {
			stdout.write(`${JSON.stringify(event, (_key, value: unknown) => (typeof value === 'string' ? stripAnsi(value) : value))}\n`);
			if (event.type === 'prompt') {
				channel.decide(event.promptId, 'abort');
			} else if (event.type === 'run-end') {
				queueMicrotask(() => {
					unsubscribe();
				});
				resolve(event.status);
			}
		});
	});
}
