// Holds a channel's first events until a view subscribes, so a run that starts emitting
// before its screen has mounted loses nothing.
import type {RunChannel} from '../../engine/channel.js';
import type {EngineEvent} from '../../engine/types.js';

/** Wraps `channel`: events that arrive before the first subscriber are replayed to it, then passed through. */
export function withReplay(channel: RunChannel): RunChannel {
	let early: EngineEvent[] | undefined = [];
	const listeners = new Set<(event: EngineEvent) => void>();
	channel.subscribe(event => {
		if (early !== undefined) {
			early.push(event);
			return;
		}

		for (const listener of listeners) {
			listener(event);
		}
	});

	return {
		subscribe(listener) {
			listeners.add(listener);
			if (early !== undefined) {
				const replay = early;
				early = undefined;
				for (const event of replay) {
					listener(event);
				}
			}

			return () => {
				listeners.delete(listener);
			};
		},
		decide: (promptId, choice) => {
			channel.decide(promptId, choice);
		},
		interrupt: () => {
			channel.interrupt();
		},
		get transcriptPath() {
			return channel.transcriptPath;
		},
		...(channel.checkCommand === undefined ? {} : {checkCommand: channel.checkCommand}),
		done: channel.done,
	};
}
