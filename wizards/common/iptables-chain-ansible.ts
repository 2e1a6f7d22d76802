// A firewall chain step as Ansible tasks, with the scripts the step runs: the host's chain, jump and saved copy read
// first (and ufw, firewalld or a flushing nftables ruleset refused, as the step refuses them), then the chain loaded
// (tested first) and saved for the next boot only when something differs, so a converged host reports no change.
import type {AnsibleStep} from '../../source/engine/types.js';
import {bootLoaderProbe, nftablesFlushProbe, savedRules6Path, savedRulesPath} from '../../source/facts/iptables.js';
import {quote} from '../../source/targets/quote.js';
import {type ChainFirewall, ipv6Rules, loadChainAction, persistIptables} from './iptables-chain.js';

/** `WAYMARK-TUNTAP` → `waymark_tuntap`: the name the state is registered under. */
function variable(chain: string): string {
	return chain.toLowerCase().replaceAll(/[^a-z0-9]/g, '_');
}

/** Prints the state as one JSON line, or stops (exit 3, the reason on stderr) where another manager owns the firewall. */
function stateScript(wanted: ChainFirewall, rules6: readonly string[]): string {
	const saved = [...wanted.rules.filter(rule => rule.startsWith('-A')), wanted.jump];
	const saved6 = [...rules6.filter(rule => rule.startsWith('-A')), wanted.jump];
	const refuse = (why: string, remedy: string) => `echo ${quote(`${why} ${remedy}`)} >&2; exit 3`;
	return [
		'(',
		`s=$(ufw status 2>/dev/null | head -n 1); case "$s" in *inactive*) ;; *active*) ${refuse('ufw manages this firewall: rules added beside it are lost at its next reload.', wanted.ufwRemedy)};; esac`,
		`if [ "$(firewall-cmd --state 2>/dev/null)" = running ]; then ${refuse('firewalld manages this firewall.', wanted.firewalldRemedy)}; fi`,
		`if [ "$( ${nftablesFlushProbe} )" = flushes ]; then ${refuse('nftables.service loads /etc/nftables.conf, which begins with `flush ruleset` and would wipe these rules.', 'Put the rules into /etc/nftables.conf, or systemctl disable --now nftables, then run again.')}; fi`,
		'c=ok; j=ok; s=ok; v6=no',
		`[ "$(iptables -w -S ${wanted.chain} 2>/dev/null)" = ${quote(wanted.rules.join('\n'))} ] || c=no`,
		`iptables -w -S INPUT 2>/dev/null | grep -qxF -- ${quote(wanted.jump)} || j=no`,
		...saved.map(rule => `grep -qF -- ${quote(rule)} ${savedRulesPath} 2>/dev/null || s=no`),
		// IPv6 where the host has it and ip6tables to load it, as the step decides.
		rules6.length === 0
			? ''
			: [
					'if [ -e /proc/net/if_inet6 ] && command -v ip6tables >/dev/null 2>&1 && command -v ip6tables-restore >/dev/null 2>&1; then',
					'  v6=yes',
					`  [ "$(ip6tables -w -S ${wanted.chain} 2>/dev/null)" = ${quote(rules6.join('\n'))} ] || c=no`,
					`  ip6tables -w -S INPUT 2>/dev/null | grep -qxF -- ${quote(wanted.jump)} || j=no`,
					...saved6.map(rule => `  grep -qF -- ${quote(rule)} ${savedRules6Path} 2>/dev/null || s=no`),
					'fi',
				].join('\n'),
		`[ "$( ${bootLoaderProbe} )" = none ] && s=no`,
		`printf '{"chain": "%s", "jump": "%s", "saved": "%s", "v6": "%s"}\\n' "$c" "$j" "$s" "$v6"`,
		')',
	]
		.filter(Boolean)
		.join('\n');
}

export function chainAnsible(wanted: ChainFirewall): AnsibleStep {
	const rules6 = ipv6Rules(wanted.rules);
	const state = `${variable(wanted.chain)}_state`;
	const parsed = `(${state}.stdout | from_json)`;
	const differs = `${parsed}.chain != 'ok' or ${parsed}.jump != 'ok'`;
	const load = (six: boolean) => ({
		name: `${loadChainAction(wanted.chain, wanted.rules, wanted.jumpMatch, six ? rules6 : []).title}`,
		'ansible.builtin.command': {argv: ['/bin/sh', '-c', loadChainAction(wanted.chain, wanted.rules, wanted.jumpMatch, six ? rules6 : []).script]},
		changed_when: true,
		when: `(${differs}) and ${parsed}.v6 ${six ? '==' : '!='} 'yes'`,
	});
	return {
		tasks: [
			{
				name: `Read ${wanted.chain}, its jump from INPUT and the saved rules`,
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', stateScript(wanted, rules6)]},
				register: state,
				changed_when: false,
				check_mode: false,
			},
			load(false),
			...(rules6.length > 0 ? [load(true)] : []),
			{
				name: 'Save the rules for the next boot (/etc/iptables/rules.v4)',
				// The same script; its indenting tabs as spaces, which sh reads alike (the unit it writes has none).
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', persistIptables.replaceAll(/^\t+/gm, tabs => '  '.repeat(tabs.length))]},
				changed_when: true,
				when: `${differs} or ${parsed}.saved != 'ok'`,
			},
		],
		guarded: [],
	};
}
