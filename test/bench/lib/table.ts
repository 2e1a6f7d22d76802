// The one table `npm run bench` prints: goal | what | measured | baseline | ratio | goal | met?.

export interface Row {
	/** P1…P5. */
	readonly goal: string;
	/** What was measured, and how, in a few words. */
	readonly what: string;
	readonly measured: string;
	readonly baseline: string;
	/** measured ÷ baseline (or as the goal says), already printed; '—' when not measured. */
	readonly ratio: string;
	/** The goal, in the same terms as the ratio. */
	readonly target: string;
	/** 'yes', 'no', or why there is no answer. */
	readonly met: string;
}

export function notMeasured(goal: string, what: string, why: string, target: string): Row {
	return {goal, what, measured: `not measured: ${why}`, baseline: '—', ratio: '—', target, met: '—'};
}

export function yesNo(met: boolean): string {
	return met ? 'yes' : 'NO';
}

/** A Markdown table: readable in a terminal and pasteable into an issue. */
export function formatTable(rows: readonly Row[]): string {
	const header = ['goal', 'what', 'measured', 'baseline', 'ratio', 'goal', 'met?'];
	const cells = rows.map(row => [row.goal, row.what, row.measured, row.baseline, row.ratio, row.target, row.met].map(cell => cell.replaceAll('|', '/')));
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map(line => line[column]!.length)));
	const line = (values: readonly string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
	return [line(header), `|${widths.map(width => '-'.repeat(width + 2)).join('|')}|`, ...cells.map(values => line(values))].join('\n');
}
