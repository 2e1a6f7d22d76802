// A command a lost connection left running on the host (apt still installing, a build still compiling) is dealt
// with before anything else runs there: running beside it would fight over its locks and files. Someone at the
// terminal is offered to wait for it or to end it; otherwise the run waits, bounded and with progress, and past
// the bound the step fails with the command that ends it.
import {StepFailure} from './errors.js';
import {sameBootTest, sameProcessTest} from './process-identity.js';
import type {UnitDeps} from './unit-runner.js';
import type {Unit} from './unit.js';
import type {OrphanState} from './run-record.js';

/** How long a resume waits for the orphan before it gives up and says how to end it. */
export const orphanWaitSeconds = 600;

/** How long an ended orphan has after SIGTERM before it gets SIGKILL. */
export const orphanTermSeconds = 10;

/** What a lost connection left running: its pid, whether it leads a session, and who it was. */
export type OrphanProcess = Pick<OrphanState, 'pid' | 'session' | 'identity'>;

/**
 * The shell test that the process (its whole group when it leads a session) still runs. With its identity, a pid
 * after a reboot, or reused by another process, does not count. A live process of that pid must be the one left
 * running (same boot, same start time): a new session leader takes a freed number as its group id, so a group test
 * alone could find someone else's ssh session. Only when no process has the pid does the group count, in the same
 * boot: then its members can only be the orphan's (a group id stays taken while its group lives).
 */
function aliveTest({pid, session, identity}: OrphanProcess): string {
	const alive = `kill -0 ${pid} 2>/dev/null`;
	if (identity === undefined) {
		return session ? `kill -0 -${pid} 2>/dev/null || ${alive}` : alive;
	}

	const leader = sameProcessTest(pid, identity);
	return session ? `{ if ${alive}; then ${leader}; else ${sameBootTest(identity)} && kill -0 -${pid} 2>/dev/null; fi; }` : `{ ${alive} && ${leader}; }`;
}

/** The shell loop that waits for the process to end, saying so every 10 s. */
export function orphanWaitScript(orphan: OrphanProcess, seconds = orphanWaitSeconds): string {
	return [
		'n=0',
		`while ${aliveTest(orphan)}; do`,
		`  if [ $n -ge ${seconds} ]; then echo "WAYMARK-ORPHAN still-running"; exit 0; fi`,
		`  if [ $((n % 10)) -eq 0 ]; then echo "waiting for pid ${orphan.pid}, left running by the lost connection (\${n}s)"; fi`,
		'  n=$((n+1)); sleep 1',
		'done',
		'echo "WAYMARK-ORPHAN gone $n"',
	].join('\n');
}

/**
 * The shell lines that end the process: SIGTERM to its group, then SIGKILL if it outlives the grace time. A process
 * that is no longer the one left running (gone, or its pid taken by another) gets no signal at all.
 */
export function orphanEndScript(orphan: OrphanProcess, seconds = orphanTermSeconds): string {
	const {pid, session} = orphan;
	const signal = (name: string) => (session ? `kill -${name} -${pid} 2>/dev/null || kill -${name} ${pid} 2>/dev/null` : `kill -${name} ${pid} 2>/dev/null`);
	return [
		`if ! { ${aliveTest(orphan)}; }; then echo "WAYMARK-ORPHAN ended"; exit 0; fi`,
		`${signal('TERM')}`,
		'n=0',
		`while ${aliveTest(orphan)}; do`,
		`  if [ $n -ge ${seconds} ]; then ${signal('KILL')}; echo "WAYMARK-ORPHAN killed"; exit 0; fi`,
		'  n=$((n+1)); sleep 1',
		'done',
		'echo "WAYMARK-ORPHAN ended"',
	].join('\n');
}

async function stillRuns(orphan: OrphanState, unit: Unit, deps: UnitDeps): Promise<boolean> {
	const probe = await unit.target.run(`if ${aliveTest(orphan)}; then echo WAYMARK-ORPHAN alive; fi`, {signal: deps.signal});
	return probe.stdout.includes('WAYMARK-ORPHAN alive');
}

/** Deals with what a lost connection left running for this unit; `declined` when the operator stops the run instead. */
export async function awaitOrphan(unit: Unit, deps: UnitDeps): Promise<'declined' | undefined> {
	const orphan = deps.state.unit(unit)?.orphan;
	if (!orphan || !unit.target.live) {
		return undefined;
	}

	const label = unit.target.info.label;
	if (deps.interactive && !deps.yes && (await stillRuns(orphan, unit, deps))) {
		const choice = await deps.ask(unit, 'orphan', ['wait', 'end', 'abort'], orphan.pid);
		if (choice === 'end') {
			const ended = await unit.target.run(orphanEndScript(orphan), {signal: deps.signal});
			const how = ended.stdout.includes('WAYMARK-ORPHAN killed') ? `killed it after it ignored SIGTERM for ${orphanTermSeconds} s` : 'ended it';
			deps.state.setOrphan(unit, undefined);
			deps.bus.emit({
				type: 'drift',
				stepId: unit.step.id,
				target: label,
				summary: `the command the lost connection left running (pid ${orphan.pid}): ${how}, as asked`,
			});
			return undefined;
		}

		if (choice !== 'wait') {
			return 'declined';
		}
	}

	const result = await unit.target.run(orphanWaitScript(orphan), {
		signal: deps.signal,
		onLine: line => {
			if (!line.startsWith('WAYMARK-ORPHAN')) {
				deps.bus.output(unit.step.id, label, line);
			}
		},
	});
	if (result.stdout.includes('WAYMARK-ORPHAN still-running')) {
		const group = orphan.session ? `-TERM -${orphan.pid}` : String(orphan.pid);
		throw new StepFailure(
			`The command of "${orphan.title}" that the lost connection left running on ${label} (pid ${orphan.pid}) still runs after ${orphanWaitSeconds} s.`,
			`Let it finish and retry, or end it first: ${orphan.shellCommand ?? `ssh ${label.replace(/^ssh:/, '')}`} kill ${group}`,
		);
	}

	const waited = /WAYMARK-ORPHAN gone (\d+)/.exec(result.stdout)?.[1] ?? '0';
	deps.state.setOrphan(unit, undefined);
	deps.bus.emit({
		type: 'drift',
		stepId: unit.step.id,
		target: label,
		summary:
			waited === '0'
				? `the command the lost connection left running (pid ${orphan.pid}) had finished`
				: `waited ${waited} s for the command the lost connection left running (pid ${orphan.pid}) to finish`,
	});
	return undefined;
}
