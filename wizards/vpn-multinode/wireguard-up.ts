// Brings the WireGuard mesh interface up: wg-quick@ under systemd (also at boot), wg-quick up elsewhere.
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import type {Check, Step} from '../../source/engine/types.js';
import {meshAddress, placeOf, topologyParams} from './mesh-topology.js';
import {fact, noop, output, plan, untilLive} from '../common/plan-helpers.js';
import {wireguardConfigPath, withGreeting} from './wireguard-config.js';

/** What `wg-quick up` needs: the tools, and the kernel module or wireguard-go (its userspace fallback). */
export const wireguardSupportProbe =
	'{ [ -e /sys/module/wireguard ] || modprobe -n -q wireguard 2>/dev/null; } && echo kernel; command -v wireguard-go >/dev/null && echo userspace; true';

/** Whether `ip -o -4 addr show dev IF` lists this address (with its prefix, as wg-quick sets it). */
export function hasMeshAddress(addresses: string | undefined, address: string): boolean {
	return (addresses ?? '').includes(` inet ${address} `);
}

/** The interface is up when it has its mesh address and `wg show` reports its listen port. */
export function isUp(addresses: string | undefined, port: string | undefined, address: string, wantedPort: string): boolean {
	return hasMeshAddress(addresses, address) && port === wantedPort;
}

export function wireguardUpStep(role: string): Step {
	return {
		id: `wireguard-up-${role}`,
		title: 'Bring the WireGuard mesh up (and at boot)',
		why: "The guide runs `systemctl enable peervpn@vpn` and `systemctl start peervpn@vpn` on every machine; the WireGuard equivalent is the wg-quick@ unit, enabled and started. Where the kernel has no WireGuard module (before 5.6, or a container), wg-quick falls back to wireguard-go by itself. Without systemd the interface is brought up now with wg-quick, and starting it at boot is left to the host's init system (said in the plan).",
		role,
		params: [...topologyParams],
		facts(ctx) {
			const name = answerText(ctx.answers, 'wireguardInterface');
			const unit = quote(`wg-quick@${name}`);
			return [
				{kind: 'command', key: 'systemd', command: '[ -d /run/systemd/system ] && echo yes || echo no'},
				{kind: 'command', key: 'tools', command: 'command -v wg-quick && command -v wg'},
				{kind: 'command', key: 'support', command: wireguardSupportProbe},
				{kind: 'command', key: 'address', command: `ip -o -4 addr show dev ${quote(name)}`},
				{kind: 'command', key: 'enabled', command: `systemctl is-enabled ${unit} 2>/dev/null`},
				{kind: 'command', key: 'active', command: `systemctl is-active ${unit} 2>/dev/null`},
				{kind: 'command', key: 'port', command: `wg show ${quote(name)} listen-port`},
			];
		},
		plan(ctx, facts) {
			const {topology, self, peers} = placeOf(ctx);
			const name = topology.wireguardInterface;
			if (topology.mesh !== 'wireguard') {
				return noop('The mesh is PeerVPN (mesh: peervpn); nothing to bring up here.');
			}

			if (fact(facts, 'tools').unavailable) {
				return untilLive('the interface is brought up');
			}

			if (output(facts, 'tools') === undefined) {
				throw new StepFailure(
					`wg-quick is not installed on ${ctx.target.label}.`,
					'Install wireguard-tools (apt-get install wireguard-tools), then retry the step.',
				);
			}

			const support = output(facts, 'support') ?? '';
			if (!/kernel|userspace/.test(support)) {
				throw new StepFailure(
					`${ctx.target.label} has neither the WireGuard kernel module nor wireguard-go.`,
					'Install wireguard-go (apt-get install wireguard-go) or a kernel with WireGuard (5.6 or later), then retry the step.',
				);
			}

			const userspace = support.includes('kernel') ? [] : ['No WireGuard kernel module here: wg-quick runs wireguard-go instead.'];
			const unit = `wg-quick@${name}`;
			// Up means complete: the interface has its mesh address and listens on the mesh port. A unit can be active
			// with no interface (deleted by hand, wireguard-go killed), and a run killed inside wg-quick leaves one half made.
			const up = isUp(output(facts, 'address'), output(facts, 'port'), meshAddress(topology, self), topology.port);
			if (output(facts, 'systemd') === 'yes') {
				const enabled = output(facts, 'enabled') === 'enabled';
				if (output(facts, 'active') === 'active') {
					if (up) {
						const enable = {kind: 'command', title: `systemctl enable ${unit}`, script: `systemctl enable ${quote(unit)}`} as const;
						return enabled ? noop(`${unit} is enabled and running.`, ...userspace) : plan([enable], userspace);
					}

					const restart = withGreeting(`${enabled ? '' : `systemctl enable ${quote(unit)} && `}systemctl restart ${quote(unit)}`, peers);
					return plan([{kind: 'command', title: `systemctl restart ${unit} (active, but ${name} is not up)`, script: restart}], userspace);
				}

				// A stray interface of the same name (brought up outside the unit) makes wg-quick refuse to start.
				const start = withGreeting(`ip link del dev ${quote(name)} 2>/dev/null; systemctl enable --now ${quote(unit)}`, peers);
				return plan([{kind: 'command', title: `systemctl enable --now ${unit}`, script: start}], userspace);
			}

			const boot = `No systemd on ${ctx.target.label}: ${name} is brought up now with wg-quick; have the host's init system run \`wg-quick up ${name}\` at boot.`;
			if (up) {
				return noop(`${name} is up.`, boot, ...userspace);
			}

			const start = withGreeting(`ip link del dev ${quote(name)} 2>/dev/null; wg-quick up ${quote(name)}`, peers);
			return plan([{kind: 'command', title: `wg-quick up ${name}`, script: start}], [boot, ...userspace]);
		},
		verify(ctx, facts): Check[] {
			const {topology, self} = placeOf(ctx);
			if (topology.mesh !== 'wireguard') {
				return [];
			}

			const port = output(facts, 'port');
			const address = meshAddress(topology, self);
			return [
				{
					id: 'wireguard-address',
					title: `${topology.wireguardInterface} has its mesh address ${address}`,
					status: hasMeshAddress(output(facts, 'address'), address) ? 'pass' : 'fail',
					evidence: `ip -4 addr show dev ${topology.wireguardInterface}: ${(output(facts, 'address') ?? '').match(/ inet (\S+) /)?.[1] ?? '(no address)'}`,
					reason: `The other hosts reach this one at ${address} across the mesh; ${wireguardConfigPath(topology.wireguardInterface)} sets Address.`,
				},
				{
					id: 'wireguard-listening',
					title: `${topology.wireguardInterface} listens on udp/${topology.port}`,
					status: port === topology.port ? 'pass' : 'fail',
					evidence: `wg show ${topology.wireguardInterface} listen-port: ${port ?? '(no such interface)'}`,
					reason: `The other hosts send to udp/${topology.port}; ${wireguardConfigPath(topology.wireguardInterface)} sets ListenPort.`,
				},
			];
		},
	};
}
