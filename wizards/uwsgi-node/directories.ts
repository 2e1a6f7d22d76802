// mkdir for the guide's tree; existing directories are left exactly as they are.
import {answerList} from '../../source/engine/params.js';
import type {Step} from '../../source/engine/types.js';
import {fact, noop, plan} from '../common/plan-helpers.js';

export function directoriesStep(options: {role: string; param: string; why: string}): Step {
	return {
		id: 'directories',
		title: 'Create the directory tree',
		why: options.why,
		role: options.role,
		params: [options.param],
		facts: ctx => answerList(ctx.answers, options.param).map(path => ({kind: 'dir', key: path, path}) as const),
		plan(ctx, facts) {
			const dirs = answerList(ctx.answers, options.param);
			const missing = dirs.filter(dir => !fact(facts, dir).exists);
			return missing.length === 0 ? noop(`All ${dirs.length} directories exist.`) : plan(missing.map(path => ({kind: 'dir', path, mode: 0o755}) as const));
		},
	};
}
