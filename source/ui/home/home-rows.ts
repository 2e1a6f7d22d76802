// The home screen's lists as aligned rows of text that fit the terminal's width. Pure.
import type {RunSummary, WizardSummary} from '../../engine/channel.js';

const gap = '  ';

function cut(text: string, width: number): string {
	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Aligns the cells in columns. When the row is wider than `width`, the columns in `shrink` give up room, in that
 * order, down to a few characters each (cut with …), so a row never wraps and the table keeps its shape.
 */
function columns(rows: ReadonlyArray<readonly string[]>, width: number | undefined, shrink: readonly number[]): string[] {
	const widths: number[] = [];
	for (const row of rows) {
		for (const [index, cell] of row.entries()) {
			widths[index] = Math.max(widths[index] ?? 0, cell.length);
		}
	}

	if (width !== undefined) {
		let over = widths.reduce((sum, each) => sum + each, 0) + gap.length * (widths.length - 1) - width;
		for (const index of shrink) {
			if (over <= 0) {
				break;
			}

			const give = Math.min(over, Math.max(0, widths[index]! - 6));
			widths[index]! -= give;
			over -= give;
		}
	}

	return rows.map(row =>
		row.map((cell, index) => (index === row.length - 1 ? cut(cell, widths[index]!) : cut(cell, widths[index]!).padEnd(widths[index]!))).join(gap),
	);
}

/** The guides as aligned rows: id, title, roles, step count; the title, then the roles, give up room to fit `width`. */
export function guideLabels(wizards: readonly WizardSummary[], width?: number): string[] {
	return columns(
		wizards.map(wizard => [wizard.id, wizard.title, wizard.roles.join(', '), `${wizard.steps.length} step${wizard.steps.length === 1 ? '' : 's'}`]),
		width,
		[1, 2],
	);
}

/** Saved runs as aligned rows: id, guide, targets, where it stopped, when; targets and the stop give up room first. */
export function runLabels(runs: readonly RunSummary[], width?: number): string[] {
	return columns(
		runs.map(run => [run.id, run.guide, run.targets, `${run.status} at ${run.lastStep} (${run.done}/${run.total})`, run.updated]),
		width,
		[2, 3, 4],
	);
}
