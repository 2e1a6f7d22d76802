// Side by side: every variant once per round, in turn, for several rounds; a slow moment of the machine hits all alike.

/** Rounds per comparison: BENCH_ROUNDS, default 5. */
export const rounds = Math.max(1, Math.min(50, Number.parseInt(process.env['BENCH_ROUNDS'] ?? '5', 10) || 5));

/**
 * Runs each variant once per round, interleaved, after one untimed warm-up of each; returns the samples by name
 * (none for a variant left undefined).
 */
export async function interleaved<K extends string>(
	variants: {readonly [Name in K]?: () => Promise<number>},
	options: {readonly rounds?: number; readonly warmUp?: boolean} = {},
): Promise<Record<K, number[]>> {
	const present = (Object.entries(variants) as [K, (() => Promise<number>) | undefined][]).filter(
		(entry): entry is [K, () => Promise<number>] => entry[1] !== undefined,
	);
	const samples = Object.fromEntries((Object.keys(variants) as K[]).map(name => [name, [] as number[]])) as Record<K, number[]>;
	if (options.warmUp ?? true) {
		for (const [, run] of present) await run();
	}

	for (let round = 0; round < (options.rounds ?? rounds); round++) {
		for (const [name, run] of present) samples[name].push(await run());
	}

	return samples;
}
