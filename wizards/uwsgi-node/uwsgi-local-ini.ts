// /etc/uwsgi/local.ini from the operator's answers; other keys in the file are kept.
import {setIniValues} from '../../source/edits/ini.js';
import {answerList, answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Answers, Step} from '../../source/engine/types.js';
import {fileText} from '../../source/facts/files.js';
import {copyTask} from '../common/ansible-tasks.js';
import {fileChange, plan} from '../common/plan-helpers.js';

export const localIniPath = '/etc/uwsgi/local.ini';

export function uwsgiLocalIniStep(options: {role: string; publicIpParam: string; apiDomainParam: string; envParam: string}): Step {
	const values = (answers: Answers) => ({
		public_ip: answerText(answers, options.publicIpParam),
		api_domain: answerText(answers, options.apiDomainParam),
		env: answerList(answers, options.envParam),
	});
	return defineStep({
		id: 'uwsgi-local-ini',
		title: 'Node settings in /etc/uwsgi/local.ini',
		why: "The emperor scripts read this node's public address and the API domain from /etc/uwsgi/local.ini, plus environment settings for every vassal (the guide sets LANG).",
		role: options.role,
		params: [options.publicIpParam, options.apiDomainParam, options.envParam],
		facts: () => ({ini: fileText(localIniPath)}),
		plan(ctx, facts) {
			const before = facts.ini;
			const after = setIniValues(before, 'uwsgi', values(ctx.answers)).text;
			return plan([fileChange(localIniPath, before, after, {mode: 0o644})], before === after ? ['local.ini already holds these values.'] : []);
		},
		ansible: ctx => ({
			// The file as the step makes it where there is none; one that exists is kept (the step merges into it).
			tasks: [copyTask('local.ini where there is none', {stepId: 'uwsgi-local-ini', name: 'local.ini', path: localIniPath, mode: 0o644, keep: true})],
			files: {'local.ini': setIniValues(null, 'uwsgi', values(ctx.answers)).text},
			gaps: [
				`an existing ${localIniPath} is left as it is (Waymark sets these keys in it and keeps the others): waymark run uwsgi-node --only uwsgi-local-ini`,
			],
		}),
	});
}
