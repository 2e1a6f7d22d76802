// One error type for unreadable key material, so callers branch on fields instead of message text.

/** Key text or a key parameter that cannot be used; the message never quotes secret material. */
export class KeyFormatError extends Error {
	/** Which format was expected, e.g. `OpenVPN static key`. */
	readonly format: string;
	/** 1-based line of the key text where the problem is, when there is one. */
	readonly line: number | undefined;

	constructor(format: string, message: string, line?: number) {
		super(`${format}: ${message}`);
		this.name = 'KeyFormatError';
		this.format = format;
		this.line = line;
	}
}
