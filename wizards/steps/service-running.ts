// A packages step whose package is a daemon: installed is not running (PITFALLS §11), so the step also starts the
// unit when it is down and `check` says whether it runs.
import type {Check, Step} from '../../source/engine/types.js';
import {command} from '../../source/targets/quote.js';
import {output, plan} from './plan-helpers.js';

/** One word from systemd for the unit, `no-systemd` where it is not pid 1; exit 0 either way. */
export function unitStateProbe(unit: string): string {
	return `if [ -d /run/systemd/system ]; then s=$(systemctl is-active ${command(unit)} 2>/dev/null); echo "\${s:-unknown}"; else echo no-systemd; fi`;
}

/**
 * `base` (an apt packages step), plus: once its packages are in, `unit` must run. A stopped unit is started; the
 * check fails while it is down. Without systemd nothing can be asked, so nothing is claimed.
 */
export function withRunningUnit(base: Step, unit: string, consequence: string): Step {
	return {
		...base,
		why: `${base.why} The packages start ${unit}; a run and \`waymark check\` also make sure it is running: an installed daemon that stopped serves nothing.`,
		facts: ctx => [...base.facts(ctx), {kind: 'command', key: 'unit-state', command: unitStateProbe(unit)}],
		plan(ctx, facts) {
			const planned = base.plan(ctx, facts);
			const state = output(facts, 'unit-state');
			if (planned.actions.length > 0 || state === undefined || state === 'no-systemd' || state === 'active') {
				return planned;
			}

			const script = `systemctl enable ${command(unit)}\nsystemctl restart ${command(unit)}`;
			return plan([{kind: 'command', title: `Start ${unit} (it is installed but not running)`, script}], planned.notes);
		},
		verify(ctx, facts): Check[] {
			const state = output(facts, 'unit-state');
			if (state === undefined || state === 'no-systemd') {
				return [...(base.verify?.(ctx, facts) ?? [])];
			}

			return [
				...(base.verify?.(ctx, facts) ?? []),
				{
					id: `${unit}-running`,
					title: `${unit} runs`,
					status: state === 'active' ? 'pass' : 'fail',
					evidence: `systemctl is-active ${unit}: ${state}`,
					reason: state === 'active' ? `${unit} is up.` : `${consequence} \`journalctl -u ${unit}\` says why it is not running.`,
				},
			];
		},
	};
}
