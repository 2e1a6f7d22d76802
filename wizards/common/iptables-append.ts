// Rules added the guide's way but only once: `-C` first, so a re-run adds nothing (PITFALLS §8),
// then saved to /etc/iptables/rules.v4 for the next boot.
import {command} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Fact, Step, StepContext} from '../../source/engine/types.js';
import {answerText} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {commandAnswer, commandOutput} from '../../source/facts/command.js';
import {bootLoader, firewalldRunning, loadsAtBoot, nftablesFlushes, savedRules, toolsPresent, ufwActive} from '../../source/facts/iptables.js';
import {noop, plan, untilLive} from './plan-helpers.js';
import {persistAction, refuseOtherManagers} from './iptables-chain.js';

export interface IptablesRule {
	readonly table: 'filter' | 'nat';
	/** Exactly as `iptables -S` prints it, e.g. `-A POSTROUTING -o eth0 -j MASQUERADE`, so the saved file can be checked. */
	readonly rule: string;
}

function words(rule: string): string {
	return command(...rule.split(' '));
}

/** `iptables -t T -C …` for a rule in -S form. */
export function checkCommand({table, rule}: IptablesRule): string {
	return `iptables -w -t ${table} ${words(rule.replace(/^-A /, '-C '))}`;
}

/**
 * Adds a rule unless present. A filter rule goes to the top of its chain: appended after an existing REJECT or
 * DROP it would be present, pass `-C`, and still never match a packet. NAT rules keep the guide's order.
 */
export function appendCommand({table, rule}: IptablesRule): string {
	const add = table === 'filter' ? rule.replace(/^-A (\S+) /, '-I $1 1 ') : rule;
	return `${checkCommand({table, rule})} 2>/dev/null || iptables -w -t ${table} ${words(add)}`;
}

const missingIptables =
	'command -v iptables >/dev/null 2>&1 || { echo "iptables is not installed: install it (apt-get install iptables), then retry the step" >&2; exit 1; }';

/** `iptables -C` of each rule, by the names the step reads them under: rule0, rule1… */
function ruleFacts(rules: readonly IptablesRule[]): Readonly<Record<`rule${number}`, FactDef<boolean>>> {
	return Object.fromEntries(
		rules.map((rule, index) => {
			const def = commandOutput(`${checkCommand(rule)} 2>/dev/null && echo present`);
			return [`rule${index}`, {request: def.request, parse: (fact: Fact) => def.parse(fact) === 'present'}];
		}),
	);
}

/** The tools, other managers and saved rules, the host's network interfaces when a rule names one, then each rule's `-C` answer. */
function appendFactDefs(rules: readonly IptablesRule[], namesInterface: boolean) {
	// sysfs names every interface, up or down, without iproute2.
	const links = namesInterface ? {links: commandAnswer('ls /sys/class/net')} : {};
	const shared = {
		...(links as Partial<{links: ReturnType<typeof commandAnswer>}>),
		iptables: toolsPresent(['iptables']),
		saved: savedRules(),
		boot: bootLoader(),
		ufw: ufwActive(),
		firewalld: firewalldRunning(),
		nftables: nftablesFlushes(),
	};
	return {...shared, ...ruleFacts(rules)} as typeof shared & ReturnType<typeof ruleFacts>;
}

/** Stops before any change when the named interface is not on the host, naming the ones that are. */
function refuseMissingInterface(name: string, param: string, listing: string, label: string): void {
	const present = listing.split(/\s+/).filter(Boolean);
	if (present.includes(name)) {
		return;
	}

	const candidates = present.filter(link => link !== 'lo');
	throw new StepFailure(
		`${label} has no network interface ${name}, so a rule for it would match no packet. Its interfaces: ${present.join(', ') || 'none'}.`,
		`Start a new run with ${param} set to the right one${candidates.length > 0 ? ` (one of ${candidates.join(', ')})` : ''}, in the form or the answers file. ` +
			'Modern images name interfaces by their place (ens3, enp1s0), not eth0; `ip -br addr` shows which has the private address.',
	);
}

export function iptablesAppendStep(options: {
	id: string;
	title: string;
	why: string;
	role: string;
	params?: readonly string[];
	/**
	 * The answer naming an interface the rules match (`-o NAME`). A rule for an interface the host lacks is accepted
	 * by iptables and matches nothing, so such a name stops the step before any change.
	 */
	interfaceParam?: string;
	rules(ctx: StepContext): readonly IptablesRule[];
}): Step {
	return defineStep({
		id: options.id,
		title: options.title,
		why: options.why,
		role: options.role,
		params: options.params,
		facts: ctx => appendFactDefs(options.rules(ctx), options.interfaceParam !== undefined),
		plan(ctx, facts) {
			const rules = options.rules(ctx);
			if (facts.iptables === 'offline') {
				return untilLive(`these rules are added (${rules.map(rule => `iptables -t ${rule.table} ${rule.rule}`).join('; ')})`);
			}

			const listed = rules.map(rule => `iptables -t ${rule.table} ${rule.rule}`).join('; ');
			if (options.interfaceParam !== undefined && typeof facts.links === 'string') {
				refuseMissingInterface(answerText(ctx.answers, options.interfaceParam), options.interfaceParam, facts.links, ctx.target.label);
			}

			refuseOtherManagers(facts, `Add the same rules through ufw's before.rules instead: ${listed}`, `Add them as firewalld direct rules instead: ${listed}`);
			if (facts.iptables === 'missing') {
				// An earlier step of the wizard installs it (a dry run reads the host before that step has run): the
				// rules are planned, and their command stops with the remedy if iptables is still missing by then.
				return plan(
					[{kind: 'command', title: `iptables: ${listed}`, script: [missingIptables, ...rules.map(rule => appendCommand(rule))].join('\n')}, persistAction],
					[`iptables is not installed on ${ctx.target.label} yet.`],
				);
			}

			const missing = rules.filter((_rule, index) => facts[`rule${index}`] !== true);
			const saved = facts.saved.split('\n');
			const unsaved = rules.filter(({rule}) => !saved.includes(rule));
			if (missing.length === 0 && unsaved.length === 0 && loadsAtBoot(facts.boot)) {
				return noop(`All ${rules.length} rule(s) are in place and saved.`);
			}

			return plan([
				...missing.map(rule => ({kind: 'command', title: `iptables -t ${rule.table} ${rule.rule} (unless present)`, script: appendCommand(rule)}) as const),
				persistAction,
			]);
		},
	});
}
