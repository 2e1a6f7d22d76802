// Streams for driving the line renderers in tests.
import {PassThrough} from 'node:stream';
import stripAnsi from 'strip-ansi';

/** A stdout that remembers everything written to it. */
export function capture() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString();
	});
	return {stream, text: () => text, plainText: () => stripAnsi(text)};
}

/** Enquirer reads keys only from a terminal: a PassThrough that says it is one. */
export function fakeTerminal() {
	return Object.assign(new PassThrough(), {
		isTTY: true,
		isRaw: false,
		setRawMode(this: PassThrough & {isRaw: boolean}, raw: boolean) {
			this.isRaw = raw;
			return this;
		},
	});
}
