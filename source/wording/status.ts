// How a step's status and a step's risk are said: the same words in the TUI and in plain lines.
import type {Risk, RunStatus, StepStatus} from '../engine/types.js';

/** One symbol per step status, shown in front of a finished step. */
export const statusSymbol: Readonly<Record<StepStatus, string>> = {
	pending: '·',
	running: '▸',
	ok: '✓',
	changed: '●',
	failed: '✗',
	skipped: '↷',
	deferred: '⏸',
};

/** The status as a word, for screen readers and logs. */
export const statusWord: Readonly<Record<StepStatus, string>> = {
	pending: 'Pending',
	running: 'Running',
	ok: 'OK',
	changed: 'Changed',
	failed: 'Failed',
	skipped: 'Skipped',
	deferred: 'Deferred',
};

/** How a run ended, as the first word of its summary. */
export const runStatusWord: Readonly<Record<RunStatus, string>> = {
	running: 'Running',
	done: 'Done',
	failed: 'Failed',
	interrupted: 'Interrupted',
};

/** What a risky step does to the operator, in one line. */
export const riskText: Readonly<Record<Risk, string>> = {
	lockout: 'can lock you out: the way back is proven first and a rollback is armed',
	reboot: 'takes full effect only after a reboot',
	data: 'changes stored data',
};

/** `lockout: can lock you out: …`, shown before the question of a risky step. */
export function riskSentence(risk: Risk): string {
	return `${risk}: ${riskText[risk]}`;
}
