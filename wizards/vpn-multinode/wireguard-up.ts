// Brings the WireGuard mesh interface up: wg-quick@ under systemd (also at boot), wg-quick up elsewhere.
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import {quote} from '../../source/targets/quote.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {toolsPresent} from '../../source/facts/iptables.js';
import {systemdRunning, unitActive, unitEnabled} from '../../source/facts/systemd.js';
import {wireguardSupport} from '../../source/facts/wireguard.js';
import {noop, plan, untilLive} from '../common/plan-helpers.js';
import {meshAddress, placeOf, topologyParams} from './mesh-topology.js';
import {wireguardConfigPath, withGreeting} from './wireguard-config.js';

/** The IPv4 addresses of an interface with their prefix (`10.42.42.1/24`), as `ip -o -4 addr show` lists them; none when it is missing. */
export function interfaceAddresses(name: string): FactDef<readonly string[]> {
	return {
		request: {kind: 'command', command: `ip -o -4 addr show dev ${quote(name)}`},
		parse: fact => (fact.unavailable || fact.exitCode !== 0 ? [] : [...fact.text.matchAll(/ inet (\S+) /g)].map(match => match[1]!)),
	};
}

/** The interface is up when it has its mesh address and `wg show` reports its listen port. */
export function isUp(addresses: readonly string[], port: string | undefined, address: string, wantedPort: string): boolean {
	return addresses.includes(address) && port === wantedPort;
}

export function wireguardUpStep(role: string): Step {
	return defineStep({
		id: `wireguard-up-${role}`,
		title: 'Bring the WireGuard mesh up (and at boot)',
		why:
			'The guide runs `systemctl enable peervpn@vpn` and `systemctl start peervpn@vpn` on every machine; ' +
			'the WireGuard equivalent is the wg-quick@ unit, enabled and started. Where the kernel has no WireGuard ' +
			'module (before 5.6, or a container), wg-quick falls back to wireguard-go by itself. Without systemd ' +
			"the interface is brought up now with wg-quick, and starting it at boot is left to the host's init " +
			'system (said in the plan).',
		role,
		params: [...topologyParams],
		facts(ctx) {
			const name = answerText(ctx.answers, 'wireguardInterface');
			const unit = `wg-quick@${name}`;
			return {
				systemd: systemdRunning(),
				tools: toolsPresent(['wg-quick', 'wg']),
				support: wireguardSupport(),
				address: interfaceAddresses(name),
				enabled: unitEnabled(unit),
				active: unitActive(unit),
				port: commandOutput(`wg show ${quote(name)} listen-port`),
			};
		},
		plan(ctx, facts) {
			const {topology, self, peers} = placeOf(ctx);
			const name = topology.wireguardInterface;
			if (topology.mesh !== 'wireguard') {
				return noop('The mesh is PeerVPN (mesh: peervpn); nothing to bring up here.');
			}

			if (facts.tools === 'offline') {
				return untilLive('the interface is brought up');
			}

			if (facts.tools === 'missing') {
				throw new StepFailure(
					`wg-quick is not installed on ${ctx.target.label}.`,
					'Install wireguard-tools (apt-get install wireguard-tools), then retry the step.',
				);
			}

			const support = facts.support;
			if (!support.kernel && !support.userspace) {
				throw new StepFailure(
					`${ctx.target.label} has neither the WireGuard kernel module nor wireguard-go.`,
					'Install wireguard-go (apt-get install wireguard-go) or a kernel with WireGuard (5.6 or later), then retry the step.',
				);
			}

			const userspace = support.kernel ? [] : ['No WireGuard kernel module here: wg-quick runs wireguard-go instead.'];
			const unit = `wg-quick@${name}`;
			// Up means complete: the interface has its mesh address and listens on the mesh port. A unit can be active
			// with no interface (deleted by hand, wireguard-go killed), and a run killed inside wg-quick leaves one half made.
			const up = isUp(facts.address, facts.port, meshAddress(topology, self), topology.port);
			if (facts.systemd) {
				const enabled = facts.enabled === 'enabled';
				if (facts.active === 'active') {
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

			const port = facts.port;
			const address = meshAddress(topology, self);
			return [
				{
					id: 'wireguard-address',
					title: `${topology.wireguardInterface} has its mesh address ${address}`,
					status: facts.address.includes(address) ? 'pass' : 'fail',
					evidence: `ip -4 addr show dev ${topology.wireguardInterface}: ${facts.address[0] ?? '(no address)'}`,
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
	});
}
