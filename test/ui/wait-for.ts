// Waits for content instead of sleeping: polls a frame until it matches, a bounded number of times.
import stripAnsi from 'strip-ansi';

/** A frame as the operator reads it: no colors, no trailing spaces on any line. */
export function plain(frame: string | undefined): string {
	return stripAnsi(frame ?? '')
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n')
		.replace(/\n+$/, '');
}

export interface WaitOptions {
	/** Give up after this long. */
	readonly timeout?: number;
	/** Time between polls. */
	readonly interval?: number;
}

/**
 * Lets React run the effects of the commit that drew the frame just seen. Ink subscribes keys in effects, and after a
 * render that was not caused by a key (a promise, an event) they may run a turn after the frame is written: a key typed
 * in between is lost. Not a sleep: it waits for work already queued, not for time.
 */
export async function effectsRun(): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/** Polls `lastFrame()` until `expected` (text it contains, a pattern, or a test) holds; returns the plain frame once its keys are live. */
export async function waitFor(
	lastFrame: () => string | undefined,
	expected: string | RegExp | ((frame: string) => boolean),
	{timeout = 5000, interval = 5}: WaitOptions = {},
): Promise<string> {
	const matches =
		typeof expected === 'string'
			? (frame: string) => frame.includes(expected)
			: expected instanceof RegExp
				? (frame: string) => expected.test(frame)
				: expected;
	const polls = Math.ceil(timeout / interval);
	let frame = plain(lastFrame());
	for (let poll = 0; poll < polls; poll++) {
		frame = plain(lastFrame());
		if (matches(frame)) {
			await effectsRun();
			return frame;
		}

		await new Promise(resolve => {
			setTimeout(resolve, interval);
		});
	}

	throw new Error(`Timed out after ${timeout} ms waiting for ${String(expected)}; last frame:\n${frame}`);
}

/** Waits until `check` returns true (for recorders rather than frames). */
export async function waitUntil(check: () => boolean, {timeout = 5000, interval = 5}: WaitOptions = {}): Promise<void> {
	const polls = Math.ceil(timeout / interval);
	for (let poll = 0; poll < polls; poll++) {
		if (check()) {
			return;
		}

		await new Promise(resolve => {
			setTimeout(resolve, interval);
		});
	}

	throw new Error(`Timed out after ${timeout} ms`);
}
