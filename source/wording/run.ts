// The sentences of a run: its title, what happened on the way, the questions it asks, and how it ended.
import type {Counts, NotDone, RunStatus} from '../engine/types.js';
import {runStatusWord} from './status.js';

/** What the operator types to go on with a stopped run. */
export function resumeCommand(runId: string | undefined): string {
	return `waymark resume ${runId ?? '<run id>'}`;
}

/** `Run r1 of uwsgi-node`: the start of a run's first line. */
export function runTitle(runId: string, wizard: string): string {
	return `Run ${runId} of ${wizard}`;
}

/** `read 14 facts from ssh:node1 in 320 ms` */
export function factsText(count: number, target: string, ms: number): string {
	return `read ${count} facts from ${target} in ${ms} ms`;
}

/** What drifted since a resumed run last saw it: `Harden sshd on ssh:node1: …`. */
export function driftText(title: string, target: string, summary: string): string {
	return `${title} on ${target}: ${summary}`;
}

/** The question after a step failed. */
export function failedQuestion(title: string, target: string): string {
	return `${title} failed on ${target}. What now?`;
}

/** The question when a lost connection left a command of this step running on the host: what runs, then the question, on two lines. */
export function orphanQuestion(title: string, target: string, pid: number | undefined): string {
	const which = pid === undefined ? '' : ` (pid ${pid})`;
	return `The command of ${title} that the lost connection left running on ${target}${which} still runs.\nWait for it to finish, or end it?`;
}

/** Where the summary's `s` wrote the answers, and the command that replays them without asking. */
export function savedAnswersLines(file: string, replay: string): string[] {
	return [`Answers saved to ${file} (secrets left out: they are asked at run time).`, `Replay (change --target for another host): ${replay}`];
}

/** The confirm question under a plan that is on screen. */
export function applyPlanQuestion(target: string): string {
	return `Apply this plan to ${target}?`;
}

/** The confirm question where the plan scrolled by: it names the step. */
export function applyStepQuestion(title: string, target: string): string {
	return `Apply ${title} to ${target}?`;
}

/** `3 ok, 2 changed, 0 failed, 1 skipped, 0 deferred` */
export function countsText(counts: Counts): string {
	return `${counts.ok} ok, ${counts.changed} changed, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.deferred} deferred`;
}

/** The summary line at the end of a run. */
export function summaryText(status: RunStatus, counts: Counts): string {
	return `${runStatusWord[status]}: ${countsText(counts)}`;
}

/** The end of a dry run: what would change, and where; nothing did. */
export function dryRunLines(wouldChange: readonly string[]): string[] {
	return wouldChange.length === 0
		? ['Dry run: nothing would change.']
		: [`Dry run: ${wouldChange.length} step(s) would change something; nothing was changed:`, ...wouldChange.map(item => `  ${item}`)];
}

/** What to type next after a run ended. */
export function nextText(status: RunStatus, runId: string, check: string | undefined): string {
	switch (status) {
		case 'done': {
			return check === undefined ? 'Nothing left to do.' : `To see later whether anything drifted (read-only): ${check}`;
		}

		case 'failed': {
			return `Fix the cause above, then: ${resumeCommand(runId)}`;
		}

		case 'interrupted':
		case 'running': {
			return `Resume with: ${resumeCommand(runId)}`;
		}
	}
}

/** Shown as soon as the operator asks to stop. */
export function stoppingText(runId: string | undefined): string {
	return `Stopping at a safe point… resume with \`${resumeCommand(runId)}\``;
}

/** The steps a run left undone and why, as the last lines of its summary (empty when everything was done). */
export function notDoneLines(notDone: readonly NotDone[]): string[] {
	if (notDone.length === 0) {
		return [];
	}

	return [
		`Not done here (${notDone.length}):`,
		...notDone.flatMap(item => [`  ${notDoneItem(item)}`, ...(item.remedy ? [`           then: ${item.remedy}`] : [])]),
	];
}

/** The heading of the TUI's list of what a run left undone; `waymark runs` repeats it with each remedy. */
export function notDoneHeading(count: number): string {
	return `Not done here (${count}; each with what to do: waymark runs):`;
}

/** `deferred Install packages on ssh:node1: 1 command(s) wait for the live host: …` */
export function notDoneItem(item: NotDone): string {
	return `${item.status === 'deferred' ? 'deferred' : 'skipped '} ${item.title} on ${item.target}: ${item.message}`;
}

/** The resume question for a saved run. */
export function resumeQuestion(run: {
	readonly id: string;
	readonly guide: string;
	readonly lastStep: string;
	readonly done: number;
	readonly total: number;
}): string {
	return `Run ${run.id} of ${run.guide} stopped at ${run.lastStep} (${run.done}/${run.total}) — resume?`;
}

/** Under a run in `waymark runs`: what it left deferred, so the work still to run on the live host is in view. */
export function waitingLines(run: {readonly waiting?: readonly {readonly unit: string; readonly message: string; readonly remedy?: string}[]}): string[] {
	return (run.waiting ?? []).flatMap(item => [`  waits: ${item.unit}: ${item.message}`, ...(item.remedy ? [`         then: ${item.remedy}`] : [])]);
}
