// The guide installs ntp for synchronized clocks; any maintained NTP client does, as long as it actually runs.
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {installedPackages} from '../../source/facts/apt.js';
import {hostPlatform, inContainer, platformFactDefs} from '../../source/facts/platform.js';
import {aptInstallScript} from '../common/apt-packages.js';
import {aptTask, jinjaLiteral, platformFacts} from '../common/ansible-tasks.js';
import {notHere, noop, plan} from '../common/plan-helpers.js';

/** An NTP client package: its systemd unit, its init script, and the name its daemon runs under (/proc/PID/comm). */
interface TimeClient {
	readonly unit: string;
	readonly initScript: string;
	readonly daemon: string;
}

export const timeClients: Readonly<Record<string, TimeClient>> = {
	chrony: {unit: 'chrony', initScript: 'chrony', daemon: 'chronyd'},
	ntpsec: {unit: 'ntpsec', initScript: 'ntpsec', daemon: 'ntpd'},
	ntp: {unit: 'ntp', initScript: 'ntp', daemon: 'ntpd'},
	// comm is cut at 15 characters.
	'systemd-timesyncd': {unit: 'systemd-timesyncd', initScript: '', daemon: 'systemd-timesyn'},
	openntpd: {unit: 'openntpd', initScript: 'openntpd', daemon: 'ntpd'},
};

/** Names of the NTP daemons running now, read from /proc: installed is not running (nothing may have started it). */
export const runningDaemonsProbe = `for d in /proc/[0-9]*; do c=$(cat "$d/comm" 2>/dev/null) || continue; case "$c" in chronyd|ntpd|systemd-timesyn) echo "$c";; esac; done | sort -u`;

/** Starts a client now and at every boot: systemd where it runs, else the package's init script. */
export function startClientScript(name: string): string {
	const client = timeClients[name]!;
	return [
		`if [ -d /run/systemd/system ]; then systemctl enable --now ${quote(`${client.unit}.service`)}`,
		client.initScript === ''
			? 'else echo "without systemd, nothing starts systemd-timesyncd" >&2; exit 1'
			: `elif [ -x ${quote(`/etc/init.d/${client.initScript}`)} ]; then ${quote(`/etc/init.d/${client.initScript}`)} start`,
		`else echo ${quote(`no systemd and no init script to start ${name}`)} >&2; exit 1`,
		'fi',
	].join('\n');
}

/** The NTP daemons running now, by their /proc name. */
function runningDaemons(): FactDef<ReadonlySet<string> | undefined> {
	return {
		request: {kind: 'command', command: runningDaemonsProbe},
		parse: fact =>
			fact.unavailable
				? undefined
				: new Set(
						fact.text
							.split('\n')
							.map(line => line.trim())
							.filter(Boolean),
					),
	};
}

export function timeSyncStep(options: {role: string; param: string}): Step {
	return defineStep({
		id: 'time-sync',
		title: 'Synchronized clock',
		why: 'The subscription system rejects replayed packets by timestamp, so every node needs a synchronized clock; the guide installs ntp. On current Debian, ntp is a transitional package for ntpsec, and chrony or systemd-timesyncd do the same job: an NTP client is installed only if none is there, and it counts only once it runs.',
		role: options.role,
		params: [options.param],
		facts: () => ({...platformFactDefs(), installed: installedPackages(), running: runningDaemons()}),
		plan(ctx, facts) {
			const chosen = answerText(ctx.answers, options.param);
			if (chosen === 'none') {
				return noop('Clock synchronization left to you (ntpClient: none).');
			}

			const host = hostPlatform(facts);
			if (inContainer(host)) {
				return notHere(
					`This host is a container (${host.container}): its clock is the clock of the machine that runs it.`,
					'Synchronize the clock on the machine that runs the container.',
				);
			}

			const present = Object.keys(timeClients).filter(name => facts.installed?.has(name));
			const runningPresent = present.filter(name => facts.running?.has(timeClients[name]!.daemon));
			if (runningPresent.length > 0) {
				return noop(`Clock synchronized by ${runningPresent.join(', ')} (running).`);
			}

			if (present.length > 0) {
				const name = present.includes(chosen) ? chosen : present[0]!;
				return plan(
					[{kind: 'command', title: `Start ${name} now and at boot`, script: startClientScript(name)}],
					[`${present.join(', ')} installed, but no NTP daemon runs.`],
				);
			}

			return plan(
				[
					{kind: 'command', title: `apt-get install ${chosen}`, script: aptInstallScript([chosen])},
					{kind: 'command', title: `Start ${chosen} now and at boot`, script: startClientScript(chosen)},
				],
				[`No NTP client found: ${chosen} is installed and started.`],
			);
		},
		ansible(ctx) {
			const chosen = answerText(ctx.answers, options.param);
			if (chosen === 'none') {
				return {tasks: []};
			}

			const names = Object.keys(timeClients);
			const units = Object.fromEntries(names.map(name => [name, `${timeClients[name]!.unit}.service`]));
			return {
				tasks: [
					{
						name: 'Which NTP clients are installed',
						// dpkg-query fails on names it never heard of; what counts is the list awk prints.
						'ansible.builtin.command': {
							argv: [
								'/bin/sh',
								'-c',
								`dpkg-query -W -f='\${Package} \${db:Status-Status}\\n' ${names.join(' ')} 2>/dev/null | awk '$2 == "installed" {print $1}'`,
							],
						},
						register: 'waymark_ntp',
						changed_when: false,
						check_mode: false,
					},
					// As the step: the one asked for when none is installed, else the installed one (the asked one first).
					{
						name: 'The NTP client to run',
						'ansible.builtin.set_fact': {
							waymark_ntp_client: `{{ '${chosen}' if ('${chosen}' in waymark_ntp.stdout_lines or waymark_ntp.stdout_lines | length == 0) else (${jinjaLiteral(names)} | select('in', waymark_ntp.stdout_lines) | first) }}`,
						},
					},
					{...aptTask(`apt-get install ${chosen} (when no NTP client is installed)`, [chosen]), when: 'waymark_ntp.stdout_lines | length == 0'},
					{
						name: 'Start it now and at boot',
						'ansible.builtin.systemd_service': {name: `{{ ${jinjaLiteral(units)}[waymark_ntp_client] }}`, enabled: true, state: 'started'},
						when: platformFacts.systemd,
					},
				],
				// As the step: a container's clock is the clock of the machine that runs it.
				when: `not ${platformFacts.container}`,
				gaps: ['without systemd, the client is installed but not started (Waymark starts it with its init script)'],
			};
		},
		verify(ctx, facts): Check[] {
			if (answerText(ctx.answers, options.param) === 'none' || inContainer(hostPlatform(facts))) {
				return [];
			}

			const running = [...(facts.running ?? [])];
			return [
				{
					id: 'ntp-running',
					title: 'An NTP client runs',
					status: running.length > 0 ? 'pass' : 'fail',
					evidence: running.length > 0 ? `running: ${running.join(', ')}` : 'no chronyd, ntpd or systemd-timesyncd process',
					reason: 'An installed NTP client that does not run keeps no clock in time; replayed-packet checks need synchronized clocks.',
				},
			];
		},
	});
}
