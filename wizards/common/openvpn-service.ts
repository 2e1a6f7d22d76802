// The distribution's units (`openvpn-server@NAME`, `openvpn-client@NAME`, configs in /etc/openvpn/{server,client});
// without systemd (a container, a minimal image) openvpn runs as a daemon with a pid file and a log file.
import {defineStep} from '../../source/engine/step.js';
import type {Answers, CommandAction, Step} from '../../source/engine/types.js';
import {quote} from '../../source/targets/quote.js';
import {commandAnswer} from '../../source/facts/command.js';
import {activeState, systemdRunning, unitActive, unitEnabled} from '../../source/facts/systemd.js';
import {noop, plan} from './plan-helpers.js';

export type OpenvpnKind = 'server' | 'client';

export function openvpnDir(kind: OpenvpnKind): string {
	return `/etc/openvpn/${kind}`;
}

export function openvpnUnit(kind: OpenvpnKind, name: string): string {
	return `openvpn-${kind}@${name}.service`;
}

/** Where the daemon writes its pid and log when there is no systemd; tests read the log too. */
export function daemonPaths(kind: OpenvpnKind, name: string): {pid: string; log: string} {
	return {pid: `/run/waymark-openvpn/${kind}-${name}.pid`, log: `/var/log/openvpn/${kind}-${name}.log`};
}

const missingOpenvpn =
	'command -v openvpn >/dev/null 2>&1 || { echo "openvpn is not installed: let the Install OpenVPN step run, or apt-get install openvpn" >&2; exit 1; }';

function runningProbe(kind: OpenvpnKind, name: string): string {
	const {pid} = daemonPaths(kind, name);
	return `[ -s ${quote(pid)} ] && kill -0 "$(cat ${quote(pid)})" 2>/dev/null && echo running || echo stopped`;
}

/** Starts openvpn in the background the way the unit would: same directory, same config. */
export function daemonStartScript(kind: OpenvpnKind, name: string): string {
	const {pid, log} = daemonPaths(kind, name);
	return [
		missingOpenvpn,
		'mkdir -p /run/waymark-openvpn /var/log/openvpn',
		`openvpn --daemon ${quote(`openvpn-${kind}-${name}`)} --cd ${openvpnDir(kind)} --config ${quote(`${name}.conf`)} --writepid ${quote(pid)} --log-append ${quote(log)}`,
	].join('\n');
}

/** After a key or config change: restart a running tunnel so it reads the new files; a stopped one stays stopped. */
export function restartIfRunning(kind: OpenvpnKind, name: string): CommandAction {
	const {pid} = daemonPaths(kind, name);
	return {
		kind: 'command',
		title: `Restart the ${kind} tunnel if it is running, so it reads the new files`,
		script: [
			`if [ -d /run/systemd/system ]; then systemctl try-restart ${quote(openvpnUnit(kind, name))}`,
			`elif [ -s ${quote(pid)} ] && kill -0 "$(cat ${quote(pid)})" 2>/dev/null; then`,
			`\tkill "$(cat ${quote(pid)})"; i=0; while kill -0 "$(cat ${quote(pid)})" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`,
			`\t${daemonStartScript(kind, name).replaceAll('\n', '\n\t')}`,
			'fi',
		].join('\n'),
	};
}

/**
 * Enable and start without waiting on systemd (--no-block: older OpenVPN told a Type=notify unit it was ready
 * only once its peer connected), then wait a bounded while for the unit to leave `activating`: 2.6 is ready before
 * it connects, and the probe after the command must see the unit as it settled, not as it was a moment after start.
 */
export function systemdStartScript(unit: string): string {
	return [
		missingOpenvpn,
		`systemctl enable ${quote(unit)}`,
		`systemctl start --no-block ${quote(unit)}`,
		`i=0; while [ "$(systemctl is-active ${quote(unit)})" = activating ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done`,
	].join('\n');
}

export function openvpnServiceStep(options: {
	id: string;
	role: string;
	kind: OpenvpnKind;
	name(answers: Answers): string;
	params?: readonly string[];
	why: string;
}): Step {
	return defineStep({
		id: options.id,
		title: `Enable and start the OpenVPN ${options.kind}`,
		why: options.why,
		role: options.role,
		params: options.params,
		facts(ctx) {
			const unit = openvpnUnit(options.kind, options.name(ctx.answers));
			return {
				systemd: systemdRunning(),
				enabled: unitEnabled(unit),
				active: unitActive(unit),
				// running or stopped; null when the probe failed, undefined on an offline target.
				daemon: commandAnswer(runningProbe(options.kind, options.name(ctx.answers))),
			};
		},
		plan(ctx, facts) {
			const name = options.name(ctx.answers);
			const unit = openvpnUnit(options.kind, name);
			if (facts.systemd === undefined) {
				return plan(
					[{kind: 'command', title: `systemctl enable ${unit}`, script: `systemctl enable ${quote(unit)}`}],
					['Offline target: the unit is enabled when the wizard runs against the live host.'],
				);
			}

			if (facts.systemd) {
				if (facts.enabled === 'enabled' && activeState(facts.active)) {
					return noop(`${unit} is enabled and running.`);
				}

				return plan([{kind: 'command', title: `systemctl enable ${unit} and start it`, script: systemdStartScript(unit)}]);
			}

			if (facts.daemon === 'running') {
				return noop(`No systemd here: openvpn runs as a daemon (pid file ${daemonPaths(options.kind, name).pid}).`);
			}

			return plan(
				[{kind: 'command', title: `Start openvpn as a daemon (no systemd on this host)`, script: daemonStartScript(options.kind, name)}],
				[
					`No systemd on ${ctx.target.label}: openvpn runs as a daemon logging to ${daemonPaths(options.kind, name).log}; it does not start again after a reboot by itself.`,
				],
			);
		},
		verify(ctx, facts) {
			const systemd = facts.systemd === true;
			const running = systemd ? activeState(facts.active) : facts.daemon === 'running';
			return [
				{
					id: `${options.id}-running`,
					title: `OpenVPN ${options.kind} is running`,
					status: running ? 'pass' : 'fail',
					evidence: systemd
						? `systemctl is-active: ${facts.active}`
						: // An offline image has neither a unit manager nor a daemon to ask: say that, not "unknown".
							facts.daemon === undefined
							? 'no running system to ask (offline target)'
							: `daemon: ${facts.daemon ?? 'unknown'}`,
					reason: `Read ${systemd ? `journalctl -u ${openvpnUnit(options.kind, options.name(ctx.answers))}` : daemonPaths(options.kind, options.name(ctx.answers)).log} for why it stopped.`,
				},
			];
		},
	});
}
