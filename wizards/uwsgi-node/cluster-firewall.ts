// The rest of the guide's firewall section: the subscription server, the legion ports and the fastrouter, which the
// guide describes but gives no rules for. One chain of their own, entered for every INPUT packet, that only
// decides for those ports and lets everything else return to INPUT as before.
import {answerList, answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Answers, Check, Step} from '../../source/engine/types.js';
import {type ChainFirewall, chainFactDefs, firewallChainPlan, input6JumpCheck, inputJumpCheck, iptablesGuard} from '../common/iptables-chain.js';
import {chainAnsible} from '../common/iptables-chain-ansible.js';

export const clusterChain = 'WAYMARK-UWSGI-CLUSTER';

export interface ClusterPorts {
	readonly subscription: string;
	readonly legion: readonly string[];
	readonly fastrouter: string;
}

/**
 * The chain exactly as `iptables -S CHAIN` prints it. UDP from the other nodes only, and only from the same port
 * (the guide: subscriptions from source port 2000, each legion from its own port); the fastrouter's TCP port from
 * the nodes' legion HTTP routers and this node itself (loopback and its public address), never from a container
 * (they come in over the tuntap interface) or the outside.
 */
export function clusterRules(nodeIp: string, peers: readonly string[], ports: ClusterPorts): string[] {
	const udp = (port: string) => [
		// The node's own legion and subscriptions to itself come in over loopback.
		`-A ${clusterChain} -i lo -p udp -m udp --sport ${port} --dport ${port} -j ACCEPT`,
		...peers.map(peer => `-A ${clusterChain} -s ${peer}/32 -d ${nodeIp}/32 -p udp -m udp --sport ${port} --dport ${port} -j ACCEPT`),
		`-A ${clusterChain} -p udp -m udp --dport ${port} -j DROP`,
	];
	return [
		`-N ${clusterChain}`,
		...udp(ports.subscription),
		...ports.legion.flatMap(udp),
		`-A ${clusterChain} -i lo -p tcp -m tcp --dport ${ports.fastrouter} -j ACCEPT`,
		...[nodeIp, ...peers].map(source => `-A ${clusterChain} -s ${source}/32 -d ${nodeIp}/32 -p tcp -m tcp --dport ${ports.fastrouter} -j ACCEPT`),
		`-A ${clusterChain} -p tcp -m tcp --dport ${ports.fastrouter} -j DROP`,
	];
}

export const clusterJump = `-A INPUT -j ${clusterChain}`;

export function clusterFirewallStep(options: {role: string; nodeIpParam: string; peersParam: string}): Step {
	const wanted = (answers: Answers): ChainFirewall => {
		const nodeIp = answerText(answers, options.nodeIpParam);
		const peers = answerList(answers, options.peersParam).filter(peer => peer !== nodeIp);
		const ports = portsOf(answers);
		return {
			chain: clusterChain,
			rules: clusterRules(nodeIp, peers, ports),
			jump: clusterJump,
			jumpMatch: '',
			ufwRemedy: `Use ufw instead: for each other node, ufw allow proto udp from NODE port ${ports.subscription} to ${nodeIp} port ${ports.subscription} (the same for each legion port) and ufw allow proto tcp from NODE to ${nodeIp} port ${ports.fastrouter}; then ufw deny those ports.`,
			firewalldRemedy: `Add rich rules per node for udp ${ports.subscription}, ${ports.legion.join(', ')} and tcp ${ports.fastrouter}: firewall-cmd --permanent --add-rich-rule='rule family=ipv4 source address=NODE port port=${ports.fastrouter} protocol=tcp accept', then reload.`,
			done: `udp/${ports.subscription}, the legion ports (${ports.legion.join(', ')}) and tcp/${ports.fastrouter} are open to ${peers.length} other node(s) only, and saved.`,
		};
	};
	return defineStep({
		id: 'cluster-firewall',
		title: 'Firewall: subscriptions, legions and the fastrouter from the nodes only',
		why:
			'The guide asks for three more protections and gives no rules: the fastrouter forwards subscriptions from udp/2000, so the ' +
			'subscription server should take them only from source port 2000; each legion (udp, port 2100 and up) only from its own port; ' +
			'and the fastrouter (tcp/998) only from the legion HTTP routers, never from a container or the outside. Here those rules come ' +
			'from the other nodes (and, for the fastrouter, this node itself), in a chain of their own, loaded in one tested ' +
			'iptables-restore transaction with an automatic rollback and saved for the next boot.',
		role: options.role,
		params: [options.nodeIpParam, options.peersParam, 'subscriptionPort', 'legionPorts', 'fastrouterPort'],
		risk: 'lockout',
		guard: iptablesGuard,
		facts: () => chainFactDefs(clusterChain),
		plan: (ctx, facts) => firewallChainPlan(ctx, facts, wanted(ctx.answers)),
		ansible: ctx => chainAnsible(wanted(ctx.answers)),
		verify(_ctx, facts): Check[] {
			return [
				inputJumpCheck(facts, 'cluster-jump', clusterChain, clusterJump, 'every packet'),
				...input6JumpCheck(facts, 'cluster-jump', clusterChain, clusterJump, 'every packet'),
			];
		},
	});
}

function portsOf(answers: Parameters<typeof answerText>[0]): ClusterPorts {
	return {
		subscription: answerText(answers, 'subscriptionPort'),
		legion: answerList(answers, 'legionPorts'),
		fastrouter: answerText(answers, 'fastrouterPort'),
	};
}
