// Rules added the guide's way but only once: `-C` first, so a re-run adds nothing (PITFALLS §8),
// then saved to /etc/iptables/rules.v4 for the next boot.
import {command} from '../../source/targets/quote.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {fact, fileText, noop, output, plan, untilLive} from './plan-helpers.js';
import {bootLoaderFact, loadedAtBoot, persistAction, refuseOtherManagers} from './iptables-chain.js';

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

export function iptablesAppendStep(options: {
	id: string;
	title: string;
	why: string;
	role: string;
	params?: readonly string[];
	rules(ctx: StepContext): readonly IptablesRule[];
}): Step {
	return {
		id: options.id,
		title: options.title,
		why: options.why,
		role: options.role,
		params: options.params,
		facts: ctx => [
			{kind: 'command', key: 'iptables', command: 'command -v iptables'},
			{kind: 'file', key: 'saved', path: '/etc/iptables/rules.v4'},
			bootLoaderFact,
			{kind: 'command', key: 'ufw', command: 'ufw status 2>/dev/null | head -n 1'},
			{kind: 'command', key: 'firewalld', command: 'firewall-cmd --state 2>/dev/null'},
			...options
				.rules(ctx)
				.map((rule, index) => ({kind: 'command', key: `rule${index}`, command: `${checkCommand(rule)} 2>/dev/null && echo present`}) as const),
		],
		plan(ctx, facts) {
			const rules = options.rules(ctx);
			if (fact(facts, 'iptables').unavailable) {
				return untilLive(`these rules are added (${rules.map(rule => `iptables -t ${rule.table} ${rule.rule}`).join('; ')})`);
			}

			const listed = rules.map(rule => `iptables -t ${rule.table} ${rule.rule}`).join('; ');
			refuseOtherManagers(facts, `Add the same rules through ufw's before.rules instead: ${listed}`, `Add them as firewalld direct rules instead: ${listed}`);
			if (output(facts, 'iptables') === undefined) {
				// An earlier step of the wizard installs it (a dry run reads the host before that step has run): the
				// rules are planned, and their command stops with the remedy if iptables is still missing by then.
				return plan(
					[{kind: 'command', title: `iptables: ${listed}`, script: [missingIptables, ...rules.map(rule => appendCommand(rule))].join('\n')}, persistAction],
					[`iptables is not installed on ${ctx.target.label} yet.`],
				);
			}

			const missing = rules.filter((_rule, index) => output(facts, `rule${index}`) !== 'present');
			const saved = fileText(facts, 'saved') ?? '';
			const unsaved = rules.filter(({rule}) => !saved.split('\n').includes(rule));
			if (missing.length === 0 && unsaved.length === 0 && loadedAtBoot(facts)) {
				return noop(`All ${rules.length} rule(s) are in place and saved.`);
			}

			return plan([
				...missing.map(rule => ({kind: 'command', title: `iptables -t ${rule.table} ${rule.rule} (unless present)`, script: appendCommand(rule)}) as const),
				persistAction,
			]);
		},
	};
}
