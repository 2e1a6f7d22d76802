// Samples of one quantity: median, min and max, and how they print.

export interface Stats {
	readonly median: number;
	readonly min: number;
	readonly max: number;
	readonly count: number;
}

export function stats(samples: readonly number[]): Stats {
	if (samples.length === 0) throw new Error('no samples');
	const sorted = [...samples].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
	return {median, min: sorted[0]!, max: sorted.at(-1)!, count: sorted.length};
}

/** Milliseconds: 1234 ms → "1.23 s", 87.4 → "87 ms". */
export function ms(value: number): string {
	return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

/** "1.23 s (1.10–1.40)": the median, then min and max. */
export function spread(value: Stats, unit: (value: number) => string = ms): string {
	if (value.count === 1) return `${unit(value.median)} (1 run)`;
	const [median, min, max] = [unit(value.median), unit(value.min), unit(value.max)];
	const suffix = / \S+$/.exec(median)?.[0] ?? '';
	const bare = (text: string) => (suffix !== '' && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text);
	return `${median} (${bare(min)}–${bare(max)})`;
}

export function mib(kilobytes: number): string {
	return `${(kilobytes / 1024).toFixed(0)} MiB`;
}
