// Side by side: every variant once per round, in turn, for several rounds; a slow moment of the machine hits all alike.

/** Rounds per comparison: BENCH_ROUNDS, default 5. */
export const rounds = Math.max(1, Math.min(50, Number.parseInt(process.env['BENCH_ROUNDS'] ?? '5', 10) || 5));

/** Runs each variant once per round, interleaved, after one untimed warm-up of each; returns the samples by name. */
export async function interleaved<K extends string>(
	variants: Readonly<Record<K, () => Promise<number>>>,
	options: {readonly rounds?: number; readonly warmUp?: boolean} = {},
): Promise<Record<K, number[]>> {
	const names = Object.keys(variants) as K[];
	const samples = Object.fromEntries(names.map(name => [name, [] as number[]])) as Record<K, number[]>;
	if (options.warmUp ?? true) {
		for (const name of names) await variants[name]();
	}

	for (let round = 0; round < (options.rounds ?? rounds); round++) {
		for (const name of names) samples[name].push(await variants[name]());
	}

	return samples;
}
