// The guide's `systemctl enable peervpn@vpn` / `start`, with a unit written where the binary came without one.
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandAnswer, commandOutput} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {systemdRunning, unitActive, unitEnabled} from '../../source/facts/systemd.js';
import {fileChange, header, noop, plan, untilLive} from '../common/plan-helpers.js';
import {placeOf, topologyParams} from './mesh-topology.js';
import {offerWireguard, peervpnConfigPath} from './peervpn-config.js';

export const peervpnUnit = 'peervpn@vpn';
export const peervpnUnitPath = '/etc/systemd/system/peervpn@.service';

export function peervpnUnitText(binary: string): string {
	return [
		header('vpn-multinode', 'peervpn-service'),
		'[Unit]',
		'Description=PeerVPN mesh %i',
		'Wants=network-online.target',
		'After=network-online.target',
		'',
		'[Service]',
		`ExecStart=${binary} /etc/peervpn/%i.conf`,
		'Restart=on-failure',
		'',
		'[Install]',
		'WantedBy=multi-user.target',
		'',
	].join('\n');
}

/** systemd knows the unit (`systemctl cat`), wherever its file lies: a package's unit is used as it is. */
function unitKnown(unit: string): FactDef<boolean> {
	return {
		request: {kind: 'command', command: `systemctl cat ${quote(unit)} >/dev/null 2>&1 && echo yes`},
		parse: fact => !fact.unavailable && fact.exitCode === 0 && fact.text.trim() === 'yes',
	};
}

export function peervpnServiceStep(role: string): Step {
	return defineStep({
		id: `peervpn-service-${role}`,
		title: `Enable and start ${peervpnUnit}`,
		why:
			'The guide enables and starts peervpn@vpn on every machine so the mesh comes up now and at boot. The ' +
			'Fedora package shipped that unit; a self-built binary does not, so a unit running `peervpn /etc/peervpn/vpn.conf` ' +
			'is written when none exists.',
		role,
		params: [...topologyParams],
		facts: ctx => ({
			systemd: systemdRunning(),
			binary: commandAnswer('command -v peervpn'),
			known: unitKnown(peervpnUnit),
			unit: fileText(peervpnUnitPath),
			enabled: unitEnabled(peervpnUnit),
			active: unitActive(peervpnUnit),
			listening: commandOutput(`ss -Hlun ${quote(`sport = :${answerText(ctx.answers, 'meshPort')}`)}`),
		}),
		plan(ctx, facts) {
			const {topology} = placeOf(ctx);
			if (topology.mesh !== 'peervpn') {
				return noop('The mesh is WireGuard; PeerVPN is not started.');
			}

			const binary = facts.binary;
			// An offline image cannot be asked for the binary: that is no reason to fail, the live host will say.
			if (binary === undefined) {
				return untilLive(`${peervpnUnit} is enabled and started`);
			}

			if (binary === null) {
				throw new StepFailure(`PeerVPN is not installed on ${ctx.target.label}.`, offerWireguard);
			}

			if (!facts.systemd) {
				return noop(`No systemd on ${ctx.target.label}: start \`${binary} ${peervpnConfigPath}\` from the host's init system.`);
			}

			const unit = facts.known ? undefined : fileChange(peervpnUnitPath, facts.unit, peervpnUnitText(binary), {mode: 0o644});
			if (!unit && facts.enabled === 'enabled' && facts.active === 'active') {
				return noop(`${peervpnUnit} is enabled and running.`);
			}

			return plan([
				unit,
				{
					kind: 'command',
					title: `systemctl enable --now ${peervpnUnit}`,
					script: `${unit ? 'systemctl daemon-reload\n' : ''}systemctl enable --now ${peervpnUnit}`,
				},
			]);
		},
		verify(ctx, facts): Check[] {
			const {topology} = placeOf(ctx);
			const listening = facts.listening ?? '';
			return topology.mesh === 'peervpn' && facts.systemd
				? [
						{
							id: 'peervpn-listening',
							title: `PeerVPN listens on udp/${topology.port}`,
							status: listening === '' ? 'fail' : 'pass',
							evidence: `ss -lun sport = :${topology.port}: ${listening === '' ? 'nothing' : listening.split('\n')[0]!}`,
							reason: 'The other hosts reach this one on the mesh port (the guide: make sure udp/7000 is reachable).',
						},
					]
				: [];
		},
	});
}
