// The guide's udp/999 rules, in a chain of their own so the order is right and a re-run changes nothing.
import {answerList, answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep} from '../../source/engine/step.js';
import type {Answers, Check, Step} from '../../source/engine/types.js';
import {type ChainFirewall, chainFactDefs, firewallChainPlan, inputJumpCheck, iptablesGuard} from '../common/iptables-chain.js';
import {chainAnsible} from '../common/iptables-chain-ansible.js';

export const tuntapChain = 'WAYMARK-TUNTAP';

/** The chain exactly as `iptables -S CHAIN` prints it. */
export function tuntapRules(nodeIp: string, peers: readonly string[], port: string): string[] {
	return [
		`-N ${tuntapChain}`,
		...peers.map(peer => `-A ${tuntapChain} -s ${peer}/32 -d ${nodeIp}/32 -p udp -m udp --sport ${port} --dport ${port} -j ACCEPT`),
		`-A ${tuntapChain} -d ${nodeIp}/32 -p udp -m udp --dport ${port} -j DROP`,
	];
}

export function tuntapJump(port: string): string {
	return `-A INPUT -p udp -m udp --dport ${port} -j ${tuntapChain}`;
}

export function tuntapFirewallStep(options: {role: string; nodeIpParam: string; peersParam: string; portParam: string}): Step {
	const wanted = (answers: Answers): ChainFirewall => {
		const nodeIp = answerText(answers, options.nodeIpParam);
		const peers = answerList(answers, options.peersParam).filter(peer => peer !== nodeIp);
		const port = answerText(answers, options.portParam);
		return {
			chain: tuntapChain,
			rules: tuntapRules(nodeIp, peers, port),
			jump: tuntapJump(port),
			jumpMatch: `-p udp --dport ${quote(port)}`,
			ufwRemedy: `Use ufw instead: ${peers.map(peer => `ufw allow proto udp from ${peer} port ${port} to ${nodeIp} port ${port}`).join('; ')}; ufw deny proto udp to ${nodeIp} port ${port}`,
			firewalldRemedy: `Add a rich rule per peer: firewall-cmd --permanent --add-rich-rule='rule family=ipv4 source address=PEER port port=${port} protocol=udp accept', then reload.`,
			done: `udp/${port} to ${nodeIp} is open to ${peers.length} peer node(s) only, and saved.`,
		};
	};
	return defineStep({
		id: 'tuntap-firewall',
		title: 'Firewall: tuntap gateway port from peer nodes only',
		why: 'UDP port 999 is the tuntap gateway between nodes: only the other nodes may reach it, and only from port 999 (a privileged port). The guide appends rules with `-J ACCEPT`, which iptables rejects (it means -j), and appending twice duplicates them; here the rules live in their own chain, replaced in one iptables-restore transaction, tested first, applied with an automatic rollback, and saved for the next boot.',
		role: options.role,
		params: [options.nodeIpParam, options.peersParam, options.portParam],
		risk: 'lockout',
		guard: iptablesGuard,
		facts: () => chainFactDefs(tuntapChain),
		plan: (ctx, facts) => firewallChainPlan(ctx, facts, wanted(ctx.answers)),
		ansible: ctx => chainAnsible(wanted(ctx.answers)),
		verify(ctx, facts): Check[] {
			const port = answerText(ctx.answers, options.portParam);
			return [inputJumpCheck(facts, 'tuntap-jump', tuntapChain, tuntapJump(port), `udp/${port}`)];
		},
	});
}
