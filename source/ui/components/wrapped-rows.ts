// How many terminal rows a text takes once wrapped at word boundaries, as Ink wraps it: screens that scroll need
// the height of what stays above the list to keep their title on screen. Pure.

/** Rows of `text` wrapped greedily at spaces into `width` columns; a word longer than a row is cut across rows. */
export function wrappedRows(text: string, width: number): number {
	const columns = Math.max(1, width);
	let rows = 0;
	for (const paragraph of text.split('\n')) {
		let line = 0;
		let count = 1;
		for (const word of paragraph.split(' ').filter(each => each !== '')) {
			const needed = line === 0 ? word.length : line + 1 + word.length;
			if (needed <= columns) {
				line = needed;
			} else {
				count += line === 0 ? 0 : 1;
				count += Math.floor(Math.max(0, word.length - 1) / columns);
				line = word.length % columns || columns;
			}
		}

		rows += count;
	}

	return rows;
}
