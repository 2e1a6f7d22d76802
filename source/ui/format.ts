// Words and symbols shared by the Ink screens and the line renderer. Pure: no React, no I/O.
import type {Counts, NotDone, PromptChoice, Risk, RunStatus, StepStatus} from '../engine/types.js';

/** One symbol per step status, shown in front of a finished step. */
export const statusSymbol: Record<StepStatus, string> = {
	pending: '·',
	running: '▸',
	ok: '✓',
	changed: '●',
	failed: '✗',
	skipped: '↷',
	deferred: '⏸',
};

/** The status as a word, for screen readers and logs. */
export const statusWord: Record<StepStatus, string> = {
	pending: 'Pending',
	running: 'Running',
	ok: 'OK',
	changed: 'Changed',
	failed: 'Failed',
	skipped: 'Skipped',
	deferred: 'Deferred',
};

/** Ink color names per status; `undefined` keeps the terminal's color. */
export const statusColor: Record<StepStatus, string | undefined> = {
	pending: 'gray',
	running: 'cyan',
	ok: 'green',
	changed: 'yellow',
	failed: 'red',
	skipped: 'gray',
	deferred: 'magenta',
};

/** What a risky step does to the operator, in one line. */
export const riskText: Record<Risk, string> = {
	lockout: 'can lock you out: the way back is proven first and a rollback is armed',
	reboot: 'takes full effect only after a reboot',
	data: 'changes stored data',
};

/** The keys that answer each prompt choice, as typed and as shown. */
export const choiceKeys: Record<PromptChoice, {readonly keys: readonly string[]; readonly label: string; readonly hint: string}> = {
	apply: {keys: ['y', '\r'], label: '⏎/y', hint: 'apply'},
	skip: {keys: ['s'], label: 's', hint: 'skip'},
	retry: {keys: ['r'], label: 'r', hint: 'retry'},
	abort: {keys: ['a'], label: 'a', hint: 'abort'},
};

/** Prompt choices in the order their keys are shown. */
export const choiceOrder: readonly PromptChoice[] = ['apply', 'skip', 'retry', 'abort'];

/** `3 ok, 2 changed, 0 failed, 1 skipped, 0 deferred` */
export function countsText(counts: Counts): string {
	return `${counts.ok} ok, ${counts.changed} changed, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.deferred} deferred`;
}

const endWord: Record<RunStatus, string> = {
	running: 'Running',
	done: 'Done',
	failed: 'Failed',
	interrupted: 'Interrupted',
};

/** The summary line at the end of a run. */
export function summaryText(status: RunStatus, counts: Counts): string {
	return `${endWord[status]}: ${countsText(counts)}`;
}

/** What to type next after a run ended, or `undefined` when nothing is left to do. */
export function nextText(status: RunStatus, runId: string, guide: string | undefined): string {
	switch (status) {
		case 'done': {
			return guide === undefined ? 'Nothing left to do.' : `Run it again to check nothing drifted: waymark run ${guide}`;
		}

		case 'failed': {
			return `Fix the cause above, then: waymark resume ${runId}`;
		}

		case 'interrupted':
		case 'running': {
			return `Resume with: waymark resume ${runId}`;
		}
	}
}

/** Shown as soon as the operator asks to stop. */
export function stoppingText(runId: string | undefined): string {
	return `Stopping at a safe point… resume with \`waymark resume ${runId ?? '<run id>'}\``;
}

/** The resume question for a saved run. */
export function resumeQuestion(run: {readonly id: string; readonly guide: string; readonly lastStep: string; readonly done: number; readonly total: number}): string {
	return `Run ${run.id} of ${run.guide} stopped at ${run.lastStep} (${run.done}/${run.total}) — resume?`;
}

/** Counts of zero, to start from. */
export function emptyCounts(): Counts {
	return {ok: 0, changed: 0, failed: 0, skipped: 0, deferred: 0};
}

/** `+3 -1`: how many lines a unified diff adds and removes. */
export function diffStat(diff: string): {readonly added: number; readonly removed: number} {
	let added = 0;
	let removed = 0;
	for (const line of diff.split('\n')) {
		if (line.startsWith('+') && !line.startsWith('+++')) {
			added++;
		} else if (line.startsWith('-') && !line.startsWith('---')) {
			removed++;
		}
	}

	return {added, removed};
}

/** The steps a run left undone and why, as the last lines of its summary (empty when everything was done). */
export function notDoneLines(notDone: readonly NotDone[]): string[] {
	if (notDone.length === 0) {
		return [];
	}

	return [
		`Not done here (${notDone.length}):`,
		...notDone.flatMap(item => [`  ${item.status === 'deferred' ? 'deferred' : 'skipped '} ${item.title} on ${item.target}: ${item.message}`, ...(item.remedy ? [`           then: ${item.remedy}`] : [])]),
	];
}
