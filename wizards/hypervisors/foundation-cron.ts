// The guide's 3+1 cron lines as /etc/cron.d/foundation, with URL_MAAS pointing through the tunnel.
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerFlag, answerText} from '../../source/engine/params.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {header} from '../common/plan-helpers.js';
import {wantedFilesStep} from '../common/wanted-files.js';

// cron skips files in /etc/cron.d whose names contain a dot, so no extension.
export const foundationCronPath = '/etc/cron.d/foundation';
const template = loadAsset('cron/foundation');

export function foundationCronText(ctx: StepContext, wizard: string): string {
	return renderTemplate(template, {
		header: header(wizard, 'foundation-cron'),
		urlMaas: `${answerFlag(ctx.answers, 'maasInsecure') ? '-k ' : ''}${answerText(ctx.answers, 'maasUrl')}`,
		user: answerText(ctx.answers, 'cronUser'),
		scripts: answerText(ctx.answers, 'scriptsDir'),
	});
}

export function foundationCronStep(options: {wizard: string; role: string}): Step {
	return wantedFilesStep({
		id: 'foundation-cron',
		title: 'Cron jobs that talk to the MaaS (/etc/cron.d/foundation)',
		why:
			'The guide installs four cron lines in a user crontab (three every 5 minutes, one at midnight) with URL_MAAS set to the MaaS, later ' +
			"changed to the tunnel's https://127.0.0.1:44443. Here they go into /etc/cron.d/foundation, a file Waymark owns (cron.d lines name " +
			'the user, and a file is replaced whole, so re-runs never duplicate a line); -k stays while the MaaS certificate is self-signed. ' +
			"The guide's @reboot start_tunnels.sh cron is replaced by the autossh units on the MaaS.",
		role: options.role,
		params: ['maasUrl', 'maasInsecure', 'cronUser', 'scriptsDir'],
		files: ctx => [{path: foundationCronPath, content: foundationCronText(ctx, options.wizard), mode: 0o644}],
		ansible: true,
		notes: () => ['cron reads /etc/cron.d by itself; no reload is needed (install the cron package if the host has none).'],
	});
}
