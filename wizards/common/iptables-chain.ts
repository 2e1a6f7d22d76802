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
	chainRules6,
	firewalldRunning,
	inputRules,
	inputRules6,
	ipv6Enabled,
	nftablesFlushes,
	loadsAtBoot,
	savedRules,
	savedRules6,
	toolsPresent,
	ufwActive,
} from '../../source/facts/iptables.js';
import {noop, plan, untilLive} from './plan-helpers.js';

/** iptables-restore input that replaces the chain (declaring a chain flushes it); other chains are left alone. */
export function chainRestore(chain: string, rules: readonly string[]): string {
	return ['*filter', `:${chain} - [0:0]`, ...rules.filter(rule => rule.startsWith('-A')), 'COMMIT', ''].join('\n');
}

/**
 * The same chain for ip6tables: the rules that name no IPv4 address (loopback by interface, and the DROPs). A rule
 * for an IPv4 source cannot match an IPv6 packet, so without this the ports the chain closes stay open over IPv6.
 * None when nothing is left to filter.
 */
export function ipv6Rules(rules: readonly string[]): string[] {
	const kept = rules.filter(rule => !/ -[sd] \d+\.\d+\.\d+\.\d+/.test(rule));
	return kept.some(rule => rule.startsWith('-A')) ? kept : [];
}

const bootUnit = loadAsset('systemd/waymark-iptables-restore.service');

/**
 * Saves the running rules for the next boot: netfilter-persistent where it is installed; otherwise rules.v4
 * plus a small unit that loads it at boot, since a saved file nothing reads protects nothing after a reboot.
 */
export const persistIptables = [
	'if command -v netfilter-persistent >/dev/null 2>&1; then',
	'\tnetfilter-persistent save || exit 1',
	'else',
	'\tmkdir -p /etc/iptables && iptables-save > /etc/iptables/rules.v4.waymark && mv -f /etc/iptables/rules.v4.waymark /etc/iptables/rules.v4 || exit 1',
	`\tif [ -d /run/systemd/system ]; then printf '%s' ${quote(bootUnit)} > /etc/systemd/system/${bootUnitName} && systemctl daemon-reload && systemctl enable ${bootUnitName} || exit 1; fi`,
	'fi',
	// Written here too where netfilter-persistent runs: its IPv6 plugin skips the save silently where it cannot load
	// ip6table_filter (a container), and the same rules saved twice are the same file.
	'if [ -e /proc/net/if_inet6 ] && command -v ip6tables-save >/dev/null 2>&1; then',
	'\tip6tables-save > /etc/iptables/rules.v6.waymark && mv -f /etc/iptables/rules.v6.waymark /etc/iptables/rules.v6',
	'fi',
].join('\n');

/** The lockout guard of a firewall step: both rulesets saved before the change, restored if it must roll back. */
export const iptablesGuard = () => ({
	snapshot: 'iptables-save > "$G/state" && { ! command -v ip6tables-save >/dev/null 2>&1 || ip6tables-save > "$G/state6"; }',
	// Both families are tried, each on its own, and either failing fails the restore.
	// A fresh host's iptables-save prints nothing (no table loaded yet): its previous state is an empty filter table.
	restore: [
		'r=0',
		`if [ -s "$G/state" ]; then iptables-restore -w < "$G/state" || r=1; else printf '*filter\\nCOMMIT\\n' | iptables-restore -w || r=1; fi`,
		`if [ -s "$G/state6" ]; then ip6tables-restore -w < "$G/state6" || r=1; elif [ -e "$G/state6" ]; then printf '*filter\\nCOMMIT\\n' | ip6tables-restore -w || r=1; fi`,
		'[ "$r" -eq 0 ]',
	].join('\n'),
});

/** What loads the saved rules at boot, as a raw request (the converged host answers it by its command). */
export const bootLoaderFact: FactRequest = {kind: 'command', key: 'boot', command: bootLoaderProbe};

/** What a chain step reads: the tools, the chain and INPUT as `iptables -S` prints them, other firewall managers, the saved rules. */
export function chainFactDefs(chain: string) {
	return {
		iptables: toolsPresent(['iptables', 'iptables-restore']),
		ip6tables: toolsPresent(['ip6tables', 'ip6tables-restore']),
		chain: chainRules(chain),
		input: inputRules(),
		ipv6: ipv6Enabled(),
		chain6: chainRules6(chain),
		input6: inputRules6(),
		saved6: savedRules6(),
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

/** Whether IPv6 rules are loaded here: the kernel has IPv6, and there is ip6tables to load them with. */
function filtersIpv6(facts: {readonly ipv6: boolean; readonly ip6tables: string}): boolean {
	return facts.ipv6 && facts.ip6tables === 'present';
}

/** The IPv6 chain this host needs: none where IPv6 rules are not loaded. */
export function wantedRules6(facts: {readonly ipv6: boolean; readonly ip6tables: string}, rules: readonly string[]): string[] {
	return filtersIpv6(facts) ? ipv6Rules(rules) : [];
}

function sameChain(live: readonly string[], input: readonly string[], saved: string, rules: readonly string[], jump: string) {
	return {
		chainOk: live.join('\n') === rules.join('\n'),
		jumpOk: input.includes(jump),
		savedOk: rules.filter(rule => rule.startsWith('-A')).every(rule => saved.includes(rule)) && saved.includes(jump),
	};
}

/** How far the host is from the wanted chain, its INPUT jump, and the saved copy: for IPv4, and for IPv6 where the host has it. */
export function chainState(facts: ChainFacts, rules: readonly string[], jump: string): {chainOk: boolean; jumpOk: boolean; savedOk: boolean} {
	const v4 = sameChain(facts.chain, facts.input, facts.saved, rules, jump);
	const rules6 = wantedRules6(facts, rules);
	const v6 = rules6.length === 0 ? {chainOk: true, jumpOk: true, savedOk: true} : sameChain(facts.chain6, facts.input6, facts.saved6, rules6, jump);
	return {chainOk: v4.chainOk && v6.chainOk, jumpOk: v4.jumpOk && v6.jumpOk, savedOk: v4.savedOk && v6.savedOk && loadsAtBoot(facts.boot)};
}

/**
 * Loads the chain and inserts the jump once (`-C || -I`), for IPv6 too when `rules6` has rules. Both rulesets are
 * tested before either is loaded, so a rejected rule changes nothing.
 */
export function loadChainAction(chain: string, rules: readonly string[], jumpMatch: string, rules6: readonly string[] = []): CommandAction {
	const restore = chainRestore(chain, rules);
	const restore6 = chainRestore(chain, rules6);
	const both = rules6.length > 0;
	return {
		kind: 'command',
		title: `Replace chain ${chain} (tested first) and jump to it from INPUT${both ? ', for IPv4 and IPv6' : ''}`,
		// `set -e` in a subshell: the tests come first, so a rejected rule stops the script before anything is loaded.
		script: [
			'(',
			'set -e',
			`printf '%s' ${quote(restore)} | iptables-restore -w --noflush --test`,
			both && `printf '%s' ${quote(restore6)} | ip6tables-restore -w --noflush --test`,
			`printf '%s' ${quote(restore)} | iptables-restore -w --noflush`,
			`iptables -w -C INPUT ${jumpMatch} -j ${chain} 2>/dev/null || iptables -w -I INPUT 1 ${jumpMatch} -j ${chain}`,
			both && `printf '%s' ${quote(restore6)} | ip6tables-restore -w --noflush`,
			both && `ip6tables -w -C INPUT ${jumpMatch} -j ${chain} 2>/dev/null || ip6tables -w -I INPUT 1 ${jumpMatch} -j ${chain}`,
			')',
		]
			.filter(Boolean)
			.join('\n'),
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

	const rules6 = wantedRules6(facts, wanted.rules);
	// Said, not hidden: the same ports stay open over IPv6 until ip6tables is there.
	const open6 =
		facts.ipv6 && facts.ip6tables === 'missing' && ipv6Rules(wanted.rules).length > 0
			? [`${ctx.target.label} has IPv6 but no ip6tables: these ports stay open over IPv6. Install ip6tables (Debian's iptables package has it) and run again.`]
			: [];
	return plan(
		[(!chainOk || !jumpOk) && loadChainAction(wanted.chain, wanted.rules, wanted.jumpMatch, rules6), persistAction],
		[
			`Rules:\n${wanted.rules.join('\n')}\n${wanted.jump}`,
			...(rules6.length === 0 ? [] : [`IPv6 (ip6tables), the rules that name no IPv4 address:\n${rules6.join('\n')}\n${wanted.jump}`]),
			...open6,
		],
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

/**
 * The same check for ip6tables, where the host has IPv6 and the chain has IPv6 rules (every chain whose rules
 * include a drop that names no IPv4 address): none elsewhere.
 */
export function input6JumpCheck(
	facts: {readonly ipv6: boolean; readonly ip6tables: string; readonly input6: readonly string[]},
	id: string,
	chain: string,
	jump: string,
	what: string,
): Check[] {
	if (!filtersIpv6(facts)) {
		return [];
	}

	const present = facts.input6.includes(jump);
	return [
		{
			id: `${id}-ipv6`,
			title: `INPUT sends ${what} to ${chain} over IPv6 too`,
			status: present ? 'pass' : 'fail',
			evidence: `ip6tables -S INPUT ${present ? 'has' : 'lacks'} "${jump}"`,
			reason: 'Without it the ports the chain closes stay open over IPv6.',
		},
	];
}
