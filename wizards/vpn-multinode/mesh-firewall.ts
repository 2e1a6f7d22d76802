// The mesh port open to the other mesh hosts only; its verify is the guide's "all machines can ping each other".
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {quote} from '../../source/targets/quote.js';
import {chainFactDefs, firewallChainPlan, input6JumpCheck, inputJumpCheck} from '../common/iptables-chain.js';
import {meshCheckFacts, meshChecks} from './mesh-checks.js';
import {type MeshPlace, placeOf, topologyParams, tryPlaceOf} from './mesh-topology.js';

export const meshChain = 'WAYMARK-MESH';

/** The chain exactly as `iptables -S CHAIN` prints it: each other host's public address may send to the port, nobody else. */
export function meshRules(place: MeshPlace): string[] {
	const {port} = place.topology;
	return [
		`-N ${meshChain}`,
		...place.peers.map(peer => `-A ${meshChain} -s ${peer.publicIp}/32 -p udp -m udp --dport ${port} -j ACCEPT`),
		`-A ${meshChain} -p udp -m udp --dport ${port} -j DROP`,
	];
}

export function meshJump(port: string): string {
	return `-A INPUT -p udp -m udp --dport ${port} -j ${meshChain}`;
}

export function meshFirewallStep(role: string): Step {
	return defineStep({
		id: `mesh-firewall-${role}`,
		title: 'Firewall: the mesh port from the other mesh hosts only',
		why:
			'The guide: "make sure udp/7000 is reachable on vpn.example from the other two nodes". Here the mesh ' +
			"port (PeerVPN's 7000 or WireGuard's ListenPort) is opened to the other hosts' public addresses and " +
			"closed to everyone else, in a chain of Waymark's own replaced in one tested iptables-restore transaction, " +
			'so a re-run never duplicates a rule, and saved for the next boot. The rules match only udp to the ' +
			'mesh port, so they cannot cut the ssh session. Afterwards every host must ping every other across ' +
			'the mesh.',
		role,
		params: [...topologyParams],
		facts: ctx => ({...chainFactDefs(meshChain), ...meshCheckFacts(tryPlaceOf(ctx))}),
		plan(ctx, facts) {
			const place = placeOf(ctx);
			const {port} = place.topology;
			return firewallChainPlan(ctx, facts, {
				chain: meshChain,
				rules: meshRules(place),
				jump: meshJump(port),
				jumpMatch: `-p udp --dport ${quote(port)}`,
				ufwRemedy: `Use ufw instead: ${place.peers.map(peer => `ufw allow proto udp from ${peer.publicIp} to any port ${port}`).join('; ')}`,
				firewalldRemedy:
					`Allow each peer: firewall-cmd --permanent --add-rich-rule='rule family=ipv4 source address=PEER port ` +
					`port=${port} protocol=udp accept', then firewall-cmd --reload.`,
				done: `udp/${port} is open to ${place.peers.length} mesh host(s) only, and saved.`,
			});
		},
		verify(ctx, facts): Check[] {
			const place = placeOf(ctx);
			const what = `udp/${place.topology.port}`;
			const jump = meshJump(place.topology.port);
			return [
				inputJumpCheck(facts, 'mesh-jump', meshChain, jump, what),
				...input6JumpCheck(facts, 'mesh-jump', meshChain, jump, what),
				...meshChecks(place, facts),
			];
		},
	});
}
