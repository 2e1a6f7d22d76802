// "Did you mean …?": the known word nearest to a mistyped one, by edit distance, when it is near enough to help.

function distance(a: string, b: string): number {
	const row = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		let previous = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const current = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
			previous = current;
		}
	}

	return row[b.length]!;
}

/** The closest of `known` to `word`, or undefined when none is within a third of its length (at least 2 edits). */
export function closest(word: string, known: readonly string[]): string | undefined {
	const limit = Math.max(2, Math.floor(word.length / 3));
	let best: {word: string; distance: number} | undefined;
	for (const candidate of known) {
		const d = distance(word.toLowerCase(), candidate.toLowerCase());
		if (d <= limit && (best === undefined || d < best.distance)) {
			best = {word: candidate, distance: d};
		}
	}

	return best?.word;
}

/** ` Did you mean X?`, or nothing. */
export function didYouMean(word: string, known: readonly string[], show: (word: string) => string = each => each): string {
	const match = closest(word, known);
	return match === undefined ? '' : ` Did you mean ${show(match)}?`;
}
