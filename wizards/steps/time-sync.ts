// The guide installs ntp for synchronized clocks; any maintained NTP client does, so one is added only if none runs.
import {answerText} from '../../source/engine/params.js';
import type {Step} from '../../source/engine/types.js';
import {aptInstallScript, installedProbe, installedSet} from './apt-packages.js';
import {noop, output, plan} from './plan-helpers.js';

export const timeClients = ['chrony', 'ntpsec', 'ntp', 'systemd-timesyncd', 'openntpd'];

export function timeSyncStep(options: {role: string; param: string}): Step {
	return {
		id: 'time-sync',
		title: 'Synchronized clock',
		why: 'The subscription system rejects replayed packets by timestamp, so every node needs a synchronized clock; the guide installs ntp. On current Debian, ntp is a transitional package for ntpsec, and chrony or systemd-timesyncd do the same job: an NTP client is installed only if none is there.',
		role: options.role,
		params: [options.param],
		facts: () => [{kind: 'command', key: 'installed', command: installedProbe(timeClients)}],
		plan(ctx, facts) {
			const client = answerText(ctx.answers, options.param);
			if (client === 'none') {
				return noop('Clock synchronization left to you (ntpClient: none).');
			}

			const present = timeClients.filter(name => installedSet(output(facts, 'installed')).has(name));
			if (present.length > 0) {
				return noop(`Clock synchronization by ${present.join(', ')}.`);
			}

			return plan([{kind: 'command', title: `apt-get install ${client}`, script: aptInstallScript([client])}], [`No NTP client found: ${client} is installed.`]);
		},
	};
}
