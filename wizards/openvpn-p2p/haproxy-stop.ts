// The guide's `./bin/supervisorctl stop haproxy` once nginx takes over port 80; a system HAProxy is stopped too.
import {answerFlag, answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {commandSays} from '../../source/facts/state-word.js';
import {quote} from '../../source/targets/quote.js';
import {noop, plan} from '../common/plan-helpers.js';

export function haproxyStopStep(options: {id: string; role: string}): Step {
	const supervisorctl = (dir: string) => `${dir}/bin/supervisorctl`;
	return defineStep({
		id: options.id,
		title: 'Stop HAProxy (nginx serves mist.io now)',
		why:
			"With nginx in front, the guide stops mist.io's HAProxy with `./bin/supervisorctl stop haproxy` in the " +
			'mist.io directory. Stopped that way, and if HAProxy also runs as a system service it is stopped and ' +
			'disabled, so it cannot take port 80 back at the next boot.',
		role: options.role,
		params: ['nginx', 'mistioDir'],
		facts: ctx => {
			const path = quote(supervisorctl(answerText(ctx.answers, 'mistioDir')));
			return {
				// supervisord's states of a process that runs or is about to.
				supervised: commandSays(`[ -x ${path} ] && ${path} status haproxy 2>/dev/null | awk '{print $2}'`, ['RUNNING', 'STARTING', 'BACKOFF']),
				service: commandSays('[ -d /run/systemd/system ] && systemctl is-active haproxy 2>/dev/null', ['active']),
			};
		},
		plan(ctx, facts) {
			if (!answerFlag(ctx.answers, 'nginx')) {
				return noop('nginx was not chosen, so HAProxy keeps serving mist.io.');
			}

			const {supervised, service} = facts;
			if (!supervised && !service) {
				return noop('HAProxy is not running.');
			}

			return plan(
				[
					supervised && {
						kind: 'command',
						title: 'supervisorctl stop haproxy (the guide)',
						script: `${quote(supervisorctl(answerText(ctx.answers, 'mistioDir')))} stop haproxy`,
					},
					service && {kind: 'command', title: 'Stop and disable the haproxy service', script: 'systemctl disable --now haproxy'},
				],
				supervised ? ["mist.io's supervisord starts HAProxy again when it restarts unless its config says autostart=false for haproxy."] : [],
			);
		},
	});
}
