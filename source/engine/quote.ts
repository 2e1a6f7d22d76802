// The one place where a value becomes shell text. Everything an operator typed reaches sh through here.

/** Quotes one word for POSIX sh: wrapped in single quotes, embedded quotes closed and escaped. */
export function quote(value: string): string {
	if (value.includes('\0')) {
		throw new TypeError('A NUL byte cannot be passed to a shell');
	}

	if (value !== '' && /^[\w@%+=:,./-]+$/.test(value)) {
		return value;
	}

	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quotes each word and joins them into one command line. */
export function command(...words: readonly string[]): string {
	return words.map(word => quote(word)).join(' ');
}
