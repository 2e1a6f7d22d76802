// What a lost connection leaves behind and what to do about it, in the operator's words, for the run-end event.
import type {ConnectionLost} from './target.js';
import type {EngineEvent} from './types.js';
import type {Unit} from './unit.js';

export type LostReport = NonNullable<Extract<EngineEvent, {type: 'run-end'}>['lost']>;

/** What a lost connection leaves behind and what to do, in the operator's words: the run-end event carries it. */
export function lostReport(unit: Unit, error: ConnectionLost, runId: string): LostReport {
	const ssh = error.shellCommand ?? `ssh ${error.target.replace(/^ssh:/, '')}`;
	const stillRunning =
		error.pid === undefined
			? ''
			: ` Its command may still be running there (pid ${error.pid}): \`${ssh} head -n 3 /proc/${error.pid}/status\` shows it (no such file: it has ended).`;
	const guard =
		error.rollbackAt === undefined
			? ''
			: ` The change was being tried with a rollback armed: unless a resume proves a fresh login first, the host restores the previous settings by itself at ${error.rollbackAt.toISOString().slice(11, 19)} UTC.`;
	return {
		target: error.target,
		stepId: unit.step.id,
		reason: error.reason,
		message: `The connection to ${error.target} was lost during "${unit.step.title}": ${error.reason.replace(/\.$/, '')}.${stillRunning}${guard}`,
		remedy: `When the host answers again: waymark resume ${runId}`,
	};
}
