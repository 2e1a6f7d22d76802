// A command a lost connection left running on the host (apt still installing, a build still compiling) is waited
// for before anything else runs there: running beside it would fight over its locks and files. The wait is
// bounded and shows progress; past the bound the step fails with the command that ends it.
import {StepFailure} from './errors.js';
import type {UnitDeps} from './unit-runner.js';
import type {Unit} from './unit.js';

/** How long a resume waits for the orphan before it gives up and says how to end it. */
export const orphanWaitSeconds = 600;

/** The shell loop that waits for the process (its whole group when it leads a session) to end, saying so every 10 s. */
export function orphanWaitScript(pid: number, session: boolean, seconds = orphanWaitSeconds): string {
	const alive = session ? `kill -0 -${pid} 2>/dev/null || kill -0 ${pid} 2>/dev/null` : `kill -0 ${pid} 2>/dev/null`;
	return [
		'n=0',
		`while ${alive}; do`,
		`  if [ $n -ge ${seconds} ]; then echo "WAYMARK-ORPHAN still-running"; exit 0; fi`,
		`  if [ $((n % 10)) -eq 0 ]; then echo "waiting for pid ${pid}, left running by the lost connection (\${n}s)"; fi`,
		'  n=$((n+1)); sleep 1',
		'done',
		'echo "WAYMARK-ORPHAN gone $n"',
	].join('\n');
}

export async function awaitOrphan(unit: Unit, deps: UnitDeps): Promise<void> {
	const orphan = deps.state.unit(unit)?.orphan;
	if (!orphan || !unit.target.live) {
		return;
	}

	const label = unit.target.info.label;
	const result = await unit.target.run(orphanWaitScript(orphan.pid, orphan.session), {
		signal: deps.signal,
		onLine: line => {
			if (!line.startsWith('WAYMARK-ORPHAN')) {
				deps.bus.output(unit.step.id, label, line);
			}
		},
	});
	const still = result.stdout.includes('WAYMARK-ORPHAN still-running');
	if (still) {
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
}
