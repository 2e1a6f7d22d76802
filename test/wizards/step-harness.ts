// Tests for steps are data: facts in, plan out. This builds the facts a target would have returned.
import type {Answers, Fact, Facts, Plan, Step, StepContext} from '../../source/engine/types.js';
import {resolveAnswers} from '../../source/engine/params.js';
import type {Wizard} from '../../source/engine/types.js';

export type FactValues = Record<string, string | null | {text: string; exitCode: number} | {unavailable: true}>;

/** File facts are text or null (missing); command facts are text (exit 0) or {text, exitCode}. */
export function facts(values: FactValues): Facts {
	const map = new Map<string, Fact>();
	for (const [key, value] of Object.entries(values)) {
		if (value === null) {
			map.set(key, {key, exists: false, text: '', exitCode: 1});
		} else if (typeof value === 'string') {
			map.set(key, {key, exists: true, text: value, exitCode: 0});
		} else if ('unavailable' in value) {
			map.set(key, {key, exists: false, text: '', exitCode: 127, unavailable: true});
		} else {
			map.set(key, {key, exists: true, text: value.text, exitCode: value.exitCode});
		}
	}

	return map;
}

export function context(wizard: Wizard, answers: Record<string, unknown>, secrets: Record<string, string> = {}): StepContext {
	const resolved = resolveAnswers(wizard, answers);
	if (resolved.errors.length > 0 || resolved.missing.length > 0) {
		throw new Error(`bad test answers: ${JSON.stringify(resolved)}`);
	}

	return {
		answers: resolved.answers as Answers,
		target: {kind: 'ssh', label: 'ssh:node1'},
		bindings: {node: [{kind: 'ssh', label: 'ssh:node1'}]},
		secrets: new Map(Object.entries(secrets)),
	};
}

export function step(wizard: Wizard, id: string): Step {
	const found = wizard.steps.find(each => each.id === id);
	if (!found) {
		throw new Error(`no step ${id}`);
	}

	return found;
}

/** The plan as compact data: file paths with their new text, dirs, command titles. */
export function summary(plan: Plan): Array<[string, string]> {
	// biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every kind of action (tsc checks it)
	return plan.actions.map(action => {
		switch (action.kind) {
			case 'file': {
				return [`file ${action.path}`, action.after];
			}

			case 'dir': {
				return [`dir ${action.path}`, ''];
			}

			case 'command': {
				return [`command ${action.title}`, action.script];
			}
		}
	});
}

/** Feeds a plan's file writes back into the facts, as if applied, to check a step converges. */
export function applyFiles(plan: Plan, values: FactValues, keyOfPath: Record<string, string>): FactValues {
	const next = {...values};
	for (const action of plan.actions) {
		if (action.kind === 'file' && keyOfPath[action.path]) {
			next[keyOfPath[action.path]!] = action.after;
		}
	}

	return next;
}
