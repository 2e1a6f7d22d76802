// Turns a plan into what may be shown and logged: unified diffs, secrets masked, deferred commands marked.
import {createTwoFilesPatch} from 'diff';
import type {Action, Plan, ShownAction, ShownPlan} from './types.js';

/** A unified diff of one file, `a/` and `b/` prefixed like git's. Empty when nothing changes. */
export function unifiedDiff(path: string, before: string | null, after: string): string {
	if (before === after) {
		return '';
	}

	const patch = createTwoFilesPatch(before === null ? '/dev/null' : `a${path}`, `b${path}`, before ?? '', after, undefined, undefined, {context: 3});
	// Drop the "Index"/"====" preamble some versions print; keep from the --- line on.
	return patch.slice(patch.indexOf('---')).trimEnd();
}

export function showAction(action: Action, live: boolean): ShownAction {
	switch (action.kind) {
		case 'file': {
			const secret = action.secret === true;
			const diff = secret
				? `${action.before === null ? 'new' : 'changed'} secret file ${action.path} (${action.after.length} bytes, mode ${(action.mode ?? 0o600).toString(8)}; content not shown)`
				: unifiedDiff(action.path, action.before, action.after);
			return {kind: 'file', path: action.path, diff, secret, created: action.before === null};
		}

		case 'dir': {
			return {kind: 'dir', path: action.path};
		}

		case 'command': {
			return {kind: 'command', title: action.title, script: action.secret ? '(command not shown: it carries a secret)' : action.script, deferred: !live};
		}
	}
}

export function showPlan(plan: Plan, live: boolean): ShownPlan {
	return {notes: plan.notes, items: plan.actions.map(action => showAction(action, live))};
}
