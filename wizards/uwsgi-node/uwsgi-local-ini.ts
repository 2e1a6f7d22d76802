// /etc/uwsgi/local.ini from the operator's answers; other keys in the file are kept.
import {setIniValues} from '../../source/edits/ini.js';
import {answerList, answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {fileText} from '../../source/facts/files.js';
import {fileChange, plan} from '../common/plan-helpers.js';

export const localIniPath = '/etc/uwsgi/local.ini';

export function uwsgiLocalIniStep(options: {role: string; publicIpParam: string; apiDomainParam: string; envParam: string}): Step {
	return defineStep({
		id: 'uwsgi-local-ini',
		title: 'Node settings in /etc/uwsgi/local.ini',
		why: "The emperor scripts read this node's public address and the API domain from /etc/uwsgi/local.ini, plus environment settings for every vassal (the guide sets LANG).",
		role: options.role,
		params: [options.publicIpParam, options.apiDomainParam, options.envParam],
		facts: () => ({ini: fileText(localIniPath)}),
		plan(ctx, facts) {
			const before = facts.ini;
			const after = setIniValues(before, 'uwsgi', {
				public_ip: answerText(ctx.answers, options.publicIpParam),
				api_domain: answerText(ctx.answers, options.apiDomainParam),
				env: answerList(ctx.answers, options.envParam),
			}).text;
			return plan([fileChange(localIniPath, before, after, {mode: 0o644})], before === after ? ['local.ini already holds these values.'] : []);
		},
	});
}
