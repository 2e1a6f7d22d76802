// The guide's `iptables -A INPUT -p tcp -s MaaSServerIP --dport 4443 -j ACCEPT`, made to mean "only from the MaaS".
import {answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {quote} from '../../source/targets/quote.js';
import {chainFactDefs, firewallChainPlan, inputJumpCheck} from '../common/iptables-chain.js';

export const maasChain = 'WAYMARK-MAAS';

/** The chain as `iptables -S CHAIN` prints it: the MaaS is accepted, everyone else dropped. */
export function maasRules(maas: string, port: string): string[] {
	return [`-N ${maasChain}`, `-A ${maasChain} -s ${maas}/32 -p tcp -m tcp --dport ${port} -j ACCEPT`, `-A ${maasChain} -p tcp -m tcp --dport ${port} -j DROP`];
}

export function maasJump(port: string): string {
	return `-A INPUT -p tcp -m tcp --dport ${port} -j ${maasChain}`;
}

export function maasFirewallStep(options: {role: string}): Step {
	return defineStep({
		id: 'maas-firewall',
		title: 'Firewall: the MaaS port from the MaaS server only',
		why:
			'The guide allows tcp/4443 from the MaaS server with `iptables -A INPUT … -j ACCEPT`, which alone changes nothing while INPUT ' +
			'accepts everything, and appends a duplicate on every run (PITFALLS §8). Here the rule lives in a chain of its own that accepts the ' +
			'MaaS and drops everyone else on that port, replaced in one tested iptables-restore transaction, applied with an automatic ' +
			'rollback, and saved to /etc/iptables/rules.v4 for the next boot.',
		role: options.role,
		params: ['maasAddress', 'maasPort'],
		risk: 'lockout',
		guard: () => ({snapshot: 'iptables-save > "$G/state"', restore: '[ -s "$G/state" ] && iptables-restore < "$G/state"'}),
		facts: () => chainFactDefs(maasChain),
		plan(ctx, facts) {
			const maas = answerText(ctx.answers, 'maasAddress');
			const port = answerText(ctx.answers, 'maasPort');
			return firewallChainPlan(ctx, facts, {
				chain: maasChain,
				rules: maasRules(maas, port),
				jump: maasJump(port),
				jumpMatch: `-p tcp --dport ${quote(port)}`,
				ufwRemedy: `Use ufw instead: ufw allow proto tcp from ${maas} to any port ${port}; ufw deny proto tcp to any port ${port}`,
				firewalldRemedy: `firewall-cmd --permanent --add-rich-rule='rule family=ipv4 source address=${maas} port port=${port} protocol=tcp accept', then reload.`,
				done: `tcp/${port} is open to ${maas} only, and saved.`,
			});
		},
		verify(ctx, facts): Check[] {
			const port = answerText(ctx.answers, 'maasPort');
			return [inputJumpCheck(facts, 'maas-jump', maasChain, maasJump(port), `tcp/${port}`)];
		},
	});
}
