// The guide's `iptables -A INPUT -p tcp -s MaaSServerIP --dport 4443 -j ACCEPT`, made to mean what its Security
// section asks: only the MaaS may reach the hypervisors. That line names tcp/4443, where nothing listens on a
// hypervisor; the way in is its sshd, so the MaaS-only rule covers the sshd port as well (loopback and the
// operator's own addresses kept), and a run that would cut its own connection is refused before it changes anything.
import {StepFailure} from '../../source/engine/errors.js';
import {answerList, answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {jinjaLiteral} from '../common/ansible-tasks.js';
import {type ChainFirewall, chainFactDefs, firewallChainPlan, input6JumpCheck, inputJumpCheck, iptablesGuard} from '../common/iptables-chain.js';
import {chainAnsible} from '../common/iptables-chain-ansible.js';

export const maasChain = 'WAYMARK-MAAS';

export interface MaasFirewall {
	readonly maas: string;
	readonly port: string;
	readonly sshPort: string;
	/** Addresses the operator logs in from, kept on the sshd port beside the MaaS. */
	readonly admins: readonly string[];
}

/** The chain as `iptables -S CHAIN` prints it: the MaaS (and on sshd, loopback and the operator) accepted, everyone else dropped. */
export function maasRules({maas, port, sshPort, admins}: MaasFirewall): string[] {
	const tcp = (dport: string) => `-p tcp -m tcp --dport ${dport}`;
	return [
		`-N ${maasChain}`,
		`-A ${maasChain} -s ${maas}/32 ${tcp(port)} -j ACCEPT`,
		`-A ${maasChain} ${tcp(port)} -j DROP`,
		`-A ${maasChain} -i lo ${tcp(sshPort)} -j ACCEPT`,
		...[maas, ...admins.filter(admin => admin !== maas)].map(source => `-A ${maasChain} -s ${source}/32 ${tcp(sshPort)} -j ACCEPT`),
		`-A ${maasChain} ${tcp(sshPort)} -j DROP`,
	];
}

export const maasJump = `-A INPUT -p tcp -j ${maasChain}`;

/** The IPv4 address this run's own ssh session comes from, '' when it is not an ssh session (or not IPv4). */
function sessionClient() {
	const def = commandOutput('printf "%s\\n" "${SSH_CONNECTION%% *}"');
	return {request: def.request, parse: (fact: Parameters<typeof def.parse>[0]) => (def.parse(fact) ?? '').trim()};
}

export function maasFirewallStep(options: {role: string}): Step {
	return defineStep({
		id: 'maas-firewall',
		title: 'Firewall: the hypervisors reachable from the MaaS only',
		why:
			'The guide allows tcp/4443 from the MaaS server with `iptables -A INPUT … -j ACCEPT`, which alone changes nothing while INPUT ' +
			"accepts everything, appends a duplicate on every run (PITFALLS §8), and guards a port nothing listens on here: the guide's " +
			'aim is that only the MaaS reaches the hypervisors, whose way in is sshd. Here one chain accepts the MaaS on both ports, ' +
			"keeps sshd open to loopback and the operator's addresses (adminSources; a run that would lock out its own connection is " +
			'refused before anything changes), drops everyone else, is replaced in one tested iptables-restore transaction with an ' +
			'automatic rollback, and saved to /etc/iptables/rules.v4 for the next boot.',
		role: options.role,
		params: ['maasAddress', 'maasPort', 'hypervisorSshPort', 'adminSources', 'lxcContainer', 'lxcFrom', 'lxcTo'],
		risk: 'lockout',
		guard: iptablesGuard,
		facts: () => ({...chainFactDefs(maasChain), client: sessionClient()}),
		plan(ctx, facts) {
			const wanted = maasFirewallOf(ctx.answers);
			const client = facts.client;
			// Through sudo (--become) SSH_CONNECTION is reset away: the address this run comes from cannot be known.
			if (client === '' && ctx.target.kind === 'ssh' && wanted.admins.length === 0) {
				throw new StepFailure(
					`Cannot tell which address this run reaches ${ctx.target.label} from (sudo resets SSH_CONNECTION), so it cannot prove the rule keeps it open on sshd (tcp/${wanted.sshPort}).`,
					'List the address you log in from in adminSources (or run from the MaaS), then retry the step.',
				);
			}

			// Over IPv6 the chain keeps sshd open to loopback only: the MaaS and adminSources are IPv4 addresses.
			if (client.includes(':') && client !== '::1' && !client.startsWith('::ffff:127.') && facts.ipv6) {
				throw new StepFailure(
					`This run reaches ${ctx.target.label} over IPv6 (from ${client}), where the rule drops sshd (tcp/${wanted.sshPort}) for everyone but loopback: the MaaS and adminSources are IPv4.`,
					"Connect over IPv4 (the hypervisor's IPv4 address as the target, or AddressFamily inet in ~/.ssh/config), then retry the step.",
				);
			}

			const kept = client === '' || !/^\d+\.\d+\.\d+\.\d+$/.test(client) || client.startsWith('127.') || [wanted.maas, ...wanted.admins].includes(client);
			if (!kept) {
				throw new StepFailure(
					`This run reaches ${ctx.target.label} from ${client}, which the rule would drop on the sshd port (tcp/${wanted.sshPort}): only the MaaS (${wanted.maas}) and adminSources stay open.`,
					`Add ${client} to adminSources (or run Waymark from the MaaS), then retry the step.`,
				);
			}

			const chainPlan = firewallChainPlan(ctx, facts, maasChainFirewall(wanted));
			// The LXC move ssh's from one hypervisor to another, which this chain drops unless it is listed.
			return answerText(ctx.answers, 'lxcContainer') === ''
				? chainPlan
				: {
						...chainPlan,
						notes: [
							...chainPlan.notes,
							`Moving ${answerText(ctx.answers, 'lxcContainer')} ssh's from ${answerText(ctx.answers, 'lxcFrom')} to ${answerText(ctx.answers, 'lxcTo')}: add the source hypervisor's address to adminSources, or that connection is dropped.`,
						],
					};
		},
		ansible(ctx) {
			const wanted = maasFirewallOf(ctx.answers);
			const chain = chainAnsible(maasChainFirewall(wanted));
			const kept = jinjaLiteral([wanted.maas, ...wanted.admins]);
			const client = "(waymark_maas_client.stdout | default('') | trim)";
			return {
				...chain,
				preflight: [
					{
						name: 'The address this play reaches the host from',
						'ansible.builtin.shell': 'printf "%s\\n" "${SSH_CONNECTION%% *}"',
						register: 'waymark_maas_client',
						changed_when: false,
						check_mode: false,
					},
					{
						name: 'Refuse a rule that would drop this very connection on sshd, as the step refuses it',
						'ansible.builtin.fail': {
							msg: `This play reaches {{ inventory_hostname }} from {{ ${client} }}, which the rule would drop on sshd (tcp/${wanted.sshPort}): only the MaaS and adminSources stay open. Add it to adminSources, export again, and rerun.`,
						},
						when: `${client} is match('^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$') and not ${client}.startswith('127.') and ${client} not in ${kept}`,
					},
				],
				gaps: [
					...(chain.gaps ?? []),
					'a connection over IPv6, or through sudo (no SSH_CONNECTION), is not refused as Waymark refuses it; list the address you log in from in adminSources',
				],
			};
		},
		verify(_ctx, facts): Check[] {
			return [inputJumpCheck(facts, 'maas-jump', maasChain, maasJump, 'tcp'), ...input6JumpCheck(facts, 'maas-jump', maasChain, maasJump, 'tcp')];
		},
	});
}

function maasChainFirewall(wanted: MaasFirewall): ChainFirewall {
	return {
		chain: maasChain,
		rules: maasRules(wanted),
		jump: maasJump,
		jumpMatch: '-p tcp',
		ufwRemedy: `Use ufw instead: ufw allow proto tcp from ${wanted.maas} to any port ${wanted.port}; ufw allow proto tcp from ${wanted.maas} to any port ${wanted.sshPort}; then deny both ports to the rest.`,
		firewalldRemedy: `firewall-cmd --permanent --add-rich-rule='rule family=ipv4 source address=${wanted.maas} port port=${wanted.sshPort} protocol=tcp accept' (and the same for ${wanted.port}), then reload.`,
		done: `tcp/${wanted.port} and sshd (tcp/${wanted.sshPort}) are open to ${wanted.maas}${wanted.admins.length > 0 ? ` and ${wanted.admins.join(', ')}` : ''} only, and saved.`,
	};
}

export function maasFirewallOf(answers: Parameters<typeof answerText>[0]): MaasFirewall {
	return {
		maas: answerText(answers, 'maasAddress'),
		port: answerText(answers, 'maasPort'),
		sshPort: answerText(answers, 'hypervisorSshPort'),
		admins: answerList(answers, 'adminSources'),
	};
}
