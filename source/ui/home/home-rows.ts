// The home screen's lists as aligned rows of text. Pure.
import type {RunSummary, WizardSummary} from '../../engine/channel.js';

function columns(rows: ReadonlyArray<readonly string[]>): string[] {
	const widths: number[] = [];
	for (const row of rows) {
		for (const [index, cell] of row.entries()) {
			widths[index] = Math.max(widths[index] ?? 0, cell.length);
		}
	}

	return rows.map(row => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  '));
}

/** The guides as aligned rows: id, title, roles, step count. */
export function guideLabels(wizards: readonly WizardSummary[]): string[] {
	return columns(
		wizards.map(wizard => [wizard.id, wizard.title, wizard.roles.join(', '), `${wizard.steps.length} step${wizard.steps.length === 1 ? '' : 's'}`]),
	);
}

/** Saved runs as aligned rows: id, guide, targets, where it stopped, when. */
export function runLabels(runs: readonly RunSummary[]): string[] {
	return columns(runs.map(run => [run.id, run.guide, run.targets, `${run.status} at ${run.lastStep} (${run.done}/${run.total})`, run.updated]));
}
