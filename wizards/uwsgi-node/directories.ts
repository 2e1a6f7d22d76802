// mkdir for the guide's tree; existing directories are left exactly as they are.
import {answerList} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {dirExists} from '../../source/facts/files.js';
import {noop, plan} from '../common/plan-helpers.js';

export function directoriesStep(options: {role: string; param: string; why: string}): Step {
	return defineStep({
		id: 'directories',
		title: 'Create the directory tree',
		why: options.why,
		role: options.role,
		params: [options.param],
		// Each directory is read under its own path.
		facts: ctx => Object.fromEntries(answerList(ctx.answers, options.param).map(path => [path, dirExists(path)])),
		plan(ctx, facts) {
			const dirs = answerList(ctx.answers, options.param);
			const missing = dirs.filter(dir => !facts[dir]);
			return missing.length === 0 ? noop(`All ${dirs.length} directories exist.`) : plan(missing.map(path => ({kind: 'dir', path, mode: 0o755}) as const));
		},
		ansible: ctx => ({
			// As with the step, a directory that exists is left exactly as it is (its mode too); a missing one is made 0755.
			tasks: [
				{
					name: 'Which of the directories exist',
					'ansible.builtin.stat': {path: '{{ item }}', get_checksum: false},
					loop: [...answerList(ctx.answers, options.param)],
					register: 'waymark_directories',
				},
				{
					name: 'Create the missing directories',
					'ansible.builtin.file': {path: '{{ item.item }}', state: 'directory', mode: '0755'},
					loop: '{{ waymark_directories.results }}',
					loop_control: {label: '{{ item.item }}'},
					when: 'not item.stat.exists',
				},
			],
		}),
	});
}
