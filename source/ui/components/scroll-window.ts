// Which rows of a list fit on the screen with the focused one in view: a form taller than the terminal scrolls.

export interface ScrollWindow {
	/** First shown item. */
	readonly start: number;
	/** One past the last shown item. */
	readonly end: number;
}

/**
 * The items to show, given each item's height in screen rows, the focused item and the rows available. The focus is
 * always shown, with as much before it as keeps the window steady (it moves only when the focus would leave it).
 */
export function scrollWindow(heights: readonly number[], focus: number, available: number, previous?: ScrollWindow): ScrollWindow {
	const rows = Math.max(1, available);
	const fits = (start: number, end: number) => heights.slice(start, end).reduce((sum, height) => sum + height, 0) <= rows;
	let start = previous && previous.start <= focus && focus < previous.end ? previous.start : Math.min(focus, previous?.start ?? 0);
	if (focus < start) {
		start = focus;
	}

	// Drop items from the top until the focused one fits.
	while (start < focus && !fits(start, focus + 1)) {
		start++;
	}

	let end = focus + 1;
	while (end < heights.length && fits(start, end + 1)) {
		end++;
	}

	// Room left at the bottom: fill it from the top.
	while (start > 0 && fits(start - 1, end)) {
		start--;
	}

	return {start, end};
}
