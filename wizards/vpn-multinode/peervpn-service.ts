// The guide's `systemctl enable peervpn@vpn` / `start`, with a unit written where the binary came without one.
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import type {Check, Step} from '../../source/engine/types.js';
import {offerWireguard, peervpnConfigPath} from './peervpn-config.js';
import {placeOf, topologyParams} from './mesh-topology.js';
import {fileChange, fileText, header, noop, output, plan} from '../common/plan-helpers.js';

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

export function peervpnServiceStep(role: string): Step {
	return {
		id: `peervpn-service-${role}`,
		title: `Enable and start ${peervpnUnit}`,
		why: 'The guide enables and starts peervpn@vpn on every machine so the mesh comes up now and at boot. The Fedora package shipped that unit; a self-built binary does not, so a unit running `peervpn /etc/peervpn/vpn.conf` is written when none exists.',
		role,
		params: [...topologyParams],
		facts: ctx => [
			{kind: 'command', key: 'systemd', command: '[ -d /run/systemd/system ] && echo yes || echo no'},
			{kind: 'command', key: 'binary', command: 'command -v peervpn'},
			{kind: 'command', key: 'known', command: `systemctl cat ${peervpnUnit} >/dev/null 2>&1 && echo yes`},
			{kind: 'file', key: 'unit', path: peervpnUnitPath},
			{kind: 'command', key: 'enabled', command: `systemctl is-enabled ${peervpnUnit} 2>/dev/null`},
			{kind: 'command', key: 'active', command: `systemctl is-active ${peervpnUnit} 2>/dev/null`},
			{kind: 'command', key: 'listening', command: `ss -Hlun ${quote(`sport = :${answerText(ctx.answers, 'meshPort')}`)}`},
		],
		plan(ctx, facts) {
			const {topology} = placeOf(ctx);
			if (topology.mesh !== 'peervpn') {
				return noop('The mesh is WireGuard; PeerVPN is not started.');
			}

			const binary = output(facts, 'binary');
			if (binary === undefined) {
				throw new StepFailure(`PeerVPN is not installed on ${ctx.target.label}.`, offerWireguard);
			}

			if (output(facts, 'systemd') !== 'yes') {
				return noop(`No systemd on ${ctx.target.label}: start \`${binary} ${peervpnConfigPath}\` from the host's init system.`);
			}

			const before = fileText(facts, 'unit');
			const unit = output(facts, 'known') === 'yes' ? undefined : fileChange(peervpnUnitPath, before, peervpnUnitText(binary), {mode: 0o644});
			if (!unit && output(facts, 'enabled') === 'enabled' && output(facts, 'active') === 'active') {
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
			const listening = output(facts, 'listening') ?? '';
			return topology.mesh === 'peervpn' && output(facts, 'systemd') === 'yes'
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
	};
}
