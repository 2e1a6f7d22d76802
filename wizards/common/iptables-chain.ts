// A chain of Waymark's own, replaced in one iptables-restore transaction: re-running never duplicates a rule.
import {StepFailure} from '../../source/engine/errors.js';
import {quote} from '../../source/targets/quote.js';
import type {Check, CommandAction, FactRequest, Plan, StepContext} from '../../source/engine/types.js';
import {loadAsset} from '../../source/engine/assets.js';
import type {Parsed} from '../../source/engine/step.js';
import {
	bootLoader,
	bootLoaderProbe,
	bootUnitName,
	chainRules,
	firewalldRunning,
	inputRules,
	nftablesFlushes,
	loadsAtBoot,
	savedRules,
	toolsPresent,
	ufwActive,
} from '../../source/facts/iptables.js';
import {noop, plan, untilLive} from './plan-helpers.js';

/** iptables-restore input that replaces the chain (declaring a chain flushes it); other chains are left alone. */
export function chainRestore(chain: string, rules: readonly string[]): string {
	return ['*filter', `:${chain} - [0:0]`, ...rules.filter(rule => rule.startsWith('-A')), 'COMMIT', ''].join('\n');
}

const bootUnit = loadAsset('systemd/waymark-iptables-restore.service');

/**
 * Saves the running rules for the next boot: netfilter-persistent where it is installed; otherwise rules.v4
 * plus a small unit that loads it at boot, since a saved file nothing reads protects nothing after a reboot.
 */
export const persistIptables = [
	'if command -v netfilter-persistent >/dev/null 2>&1; then netfilter-persistent save; exit $?; fi',
	'mkdir -p /etc/iptables && iptables-save > /etc/iptables/rules.v4.waymark && mv -f /etc/iptables/rules.v4.waymark /etc/iptables/rules.v4',
	`if [ -d /run/systemd/system ]; then printf '%s' ${quote(bootUnit)} > /etc/systemd/system/${bootUnitName} && systemctl daemon-reload && systemctl enable ${bootUnitName}; fi`,
].join('\n');

/** The lockout guard of a firewall step: the whole ruleset saved before the change, restored if it must roll back. */
export const iptablesGuard = () => ({snapshot: 'iptables-save > "$G/state"', restore: '[ -s "$G/state" ] && iptables-restore < "$G/state"'});

/** What loads the saved rules at boot, as a raw request (the converged host answers it by its command). */
export const bootLoaderFact: FactRequest = {kind: 'command', key: 'boot', command: bootLoaderProbe};

/** What a chain step reads: the tools, the chain and INPUT as `iptables -S` prints them, other firewall managers, the saved rules. */
export function chainFactDefs(chain: string) {
	return {
		iptables: toolsPresent(['iptables', 'iptables-restore']),
		chain: chainRules(chain),
		input: inputRules(),
		ufw: ufwActive(),
		firewalld: firewalldRunning(),
		nftables: nftablesFlushes(),
		saved: savedRules(),
		boot: bootLoader(),
	};
}

export type ChainFacts = Parsed<ReturnType<typeof chainFactDefs>>;

/**
 * Stops with the commands to use instead when ufw, firewalld or a native nftables ruleset owns the firewall: rules
 * set beside them are lost at their next reload.
 */
export function refuseOtherManagers(
	facts: {readonly ufw: boolean; readonly firewalld: boolean; readonly nftables: boolean},
	ufwRemedy: string,
	firewalldRemedy: string,
): void {
	if (facts.ufw) {
		throw new StepFailure('ufw manages this firewall: rules added beside it are lost at its next reload.', ufwRemedy);
	}

	if (facts.firewalld) {
		throw new StepFailure('firewalld manages this firewall.', firewalldRemedy);
	}

	if (facts.nftables) {
		throw new StepFailure(
			'nftables.service loads /etc/nftables.conf, which begins with `flush ruleset`: at the next boot or reload it wipes every rule it did not write, these included.',
			'Put the rules into /etc/nftables.conf (or a file it includes), or let iptables own the firewall: systemctl disable --now nftables, then retry the step.',
		);
	}
}

/** How far the host is from the wanted chain, its INPUT jump, and the saved copy. */
export function chainState(facts: ChainFacts, rules: readonly string[], jump: string): {chainOk: boolean; jumpOk: boolean; savedOk: boolean} {
	return {
		chainOk: facts.chain.join('\n') === rules.join('\n'),
		jumpOk: facts.input.includes(jump),
		savedOk: rules.filter(rule => rule.startsWith('-A')).every(rule => facts.saved.includes(rule)) && facts.saved.includes(jump) && loadsAtBoot(facts.boot),
	};
}

/** Loads the chain (tested first) and inserts the jump once: `-C || -I`. */
export function loadChainAction(chain: string, rules: readonly string[], jumpMatch: string): CommandAction {
	const restore = chainRestore(chain, rules);
	return {
		kind: 'command',
		title: `Replace chain ${chain} (tested first) and jump to it from INPUT`,
		script: [
			`printf '%s' ${quote(restore)} | iptables-restore -w --noflush --test`,
			`printf '%s' ${quote(restore)} | iptables-restore -w --noflush`,
			`iptables -w -C INPUT ${jumpMatch} -j ${chain} 2>/dev/null || iptables -w -I INPUT 1 ${jumpMatch} -j ${chain}`,
		].join('\n'),
	};
}

export const persistAction: CommandAction = {kind: 'command', title: 'Save the rules for the next boot (/etc/iptables/rules.v4)', script: persistIptables};

export interface ChainFirewall {
	readonly chain: string;
	/** The chain as `iptables -S CHAIN` prints it, `-N` line first. */
	readonly rules: readonly string[];
	/** The INPUT rule as `iptables -S INPUT` prints it. */
	readonly jump: string;
	/** The match of the jump as typed for `iptables -C/-I`, e.g. `-p udp --dport 999`. */
	readonly jumpMatch: string;
	readonly ufwRemedy: string;
	readonly firewalldRemedy: string;
	/** What "nothing to do" says, e.g. `udp/999 is open to 2 peers only, and saved.` */
	readonly done: string;
}

/** The whole plan of a firewall step that owns one chain: tools present, no other manager, chain, jump, saved for boot. */
export function firewallChainPlan(ctx: StepContext, facts: ChainFacts, wanted: ChainFirewall): Plan {
	if (facts.iptables === 'offline') {
		return untilLive('the firewall is set');
	}

	if (facts.iptables === 'missing') {
		throw new StepFailure(`iptables is not installed on ${ctx.target.label}.`, 'Install it (`apt-get install iptables`), then retry the step.');
	}

	refuseOtherManagers(facts, wanted.ufwRemedy, wanted.firewalldRemedy);
	const {chainOk, jumpOk, savedOk} = chainState(facts, wanted.rules, wanted.jump);
	if (chainOk && jumpOk && savedOk) {
		return noop(wanted.done);
	}

	return plan(
		[(!chainOk || !jumpOk) && loadChainAction(wanted.chain, wanted.rules, wanted.jumpMatch), persistAction],
		[`Rules:\n${wanted.rules.join('\n')}\n${wanted.jump}`],
	);
}

/** Without the jump from INPUT the chain filters nothing: the check every chain step makes. */
export function inputJumpCheck(facts: {readonly input: readonly string[]}, id: string, chain: string, jump: string, what: string): Check {
	const present = facts.input.includes(jump);
	return {
		id,
		title: `INPUT sends ${what} to ${chain}`,
		status: present ? 'pass' : 'fail',
		evidence: `iptables -S INPUT ${present ? 'has' : 'lacks'} "${jump}"`,
		reason: 'Without the jump the chain filters nothing.',
	};
}
