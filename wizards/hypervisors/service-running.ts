// A packages step whose package is a daemon: installed is not running (PITFALLS §11), so the step also starts the
// unit when it is down and `check` says whether it runs.
import type {FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {command} from '../../source/targets/quote.js';
import {installedPackages} from '../../source/facts/apt.js';
import {plan} from '../common/plan-helpers.js';
import {extendStep} from './extend-step.js';

/** One word from systemd for the unit, `no-systemd` where it is not pid 1; exit 0 either way. */
export function unitStateProbe(unit: string): string {
	return `if [ -d /run/systemd/system ]; then s=$(systemctl is-active ${command(unit)} 2>/dev/null); echo "\${s:-unknown}"; else echo no-systemd; fi`;
}

/** systemd's word for the unit (active, failed…); undefined where systemd cannot be asked (not pid 1, offline). */
export function unitState(unit: string): FactDef<string | undefined> {
	return {
		request: {kind: 'command', command: unitStateProbe(unit)},
		parse(fact) {
			const state = fact.unavailable || fact.exitCode !== 0 ? undefined : fact.text.trim();
			return state === 'no-systemd' ? undefined : state;
		},
	};
}

export interface RunningUnit {
	readonly unit: string;
	/** What is lost while it is down, for the check's reason. */
	readonly consequence: string;
	/**
	 * `start`: a stopped unit is started and the check fails while it is down. `warn`: the package cannot run until
	 * the operator configures it (the guide gives no configuration), so it is not started and the check only warns.
	 */
	readonly whenDown?: 'start' | 'warn';
	/** Judge the unit only while this package is installed (the package list is an answer); default always. */
	readonly package?: string;
}

/** `base` (an apt packages step, whose `installed` fact it reads), plus: once its packages are in, `unit` must run. */
export function withRunningUnit(base: Step, wanted: RunningUnit): Step {
	const {unit, consequence} = wanted;
	const start = (wanted.whenDown ?? 'start') === 'start';
	const stateKey = `${unit}-state`;
	// The unit's state, when there is one to judge: systemd answered, and the package it belongs to is wanted here.
	const stateOf = (facts: {readonly [name: string]: unknown; readonly installed: ReadonlySet<string> | undefined}) => {
		const state = facts[stateKey];
		const installed = wanted.package === undefined || facts.installed?.has(wanted.package) === true;
		return typeof state === 'string' && installed ? state : undefined;
	};

	return extendStep(base, {
		why: why =>
			start
				? `${why} The packages start ${unit}; a run and \`waymark check\` also make sure it is running: an installed daemon that stopped serves nothing.`
				: `${why} ${unit} cannot start before it is configured; \`waymark check\` warns while it does not run.`,
		facts: () => ({installed: installedPackages(), [stateKey]: unitState(unit)}),
		plan(_ctx, facts, planned) {
			const state = stateOf(facts);
			if (!start || planned.actions.length > 0 || state === undefined || state === 'active') {
				return planned;
			}

			const script = `systemctl enable ${command(unit)}\nsystemctl restart ${command(unit)}`;
			return plan([{kind: 'command', title: `Start ${unit} (it is installed but not running)`, script}], planned.notes);
		},
		verify(_ctx, facts, own): Check[] {
			const state = stateOf(facts);
			if (state === undefined) {
				return [...own];
			}

			const down = start ? 'fail' : 'warn';
			return [
				...own,
				{
					id: `${unit}-running`,
					title: `${unit} runs`,
					status: state === 'active' ? 'pass' : down,
					evidence: `systemctl is-active ${unit}: ${state}`,
					reason: state === 'active' ? `${unit} is up.` : `${consequence} \`journalctl -u ${unit}\` says why it is not running.`,
				},
			];
		},
	});
}
