// The firewall as iptables prints it, what else manages it, and what loads the saved rules at boot.
import type {FactDef} from '../engine/step.js';
import {commandAnswer, commandLines, commandOutput} from './command.js';
import {fileText} from './files.js';

/** The unit Waymark installs to load /etc/iptables/rules.v4 at boot where netfilter-persistent is missing. */
export const bootUnitName = 'waymark-iptables-restore.service';

export const savedRulesPath = '/etc/iptables/rules.v4';

export const savedRules6Path = '/etc/iptables/rules.v6';

/** The probe of what loads the saved rules at boot: netfilter-persistent, Waymark's unit, nothing, or no systemd to ask. */
export const bootLoaderProbe = `if command -v netfilter-persistent >/dev/null 2>&1; then echo netfilter-persistent; elif [ ! -d /run/systemd/system ]; then echo no-systemd; elif systemctl is-enabled ${bootUnitName} >/dev/null 2>&1; then echo waymark; else echo none; fi`;

export type BootLoader = 'netfilter-persistent' | 'waymark' | 'no-systemd' | 'none';

/** What loads the saved rules at boot; undefined when the target could not say (offline). */
export function bootLoader(): FactDef<BootLoader | undefined> {
	const def = commandOutput(bootLoaderProbe);
	return {request: def.request, parse: fact => def.parse(fact) as BootLoader | undefined};
}

/** Saved rules count only when something loads them at boot (without systemd, or offline, nothing can be asked). */
export function loadsAtBoot(loader: BootLoader | undefined): boolean {
	return loader !== 'none';
}

/** A chain as `iptables -S CHAIN` prints it, one rule a line; none when the chain does not exist. */
export function chainRules(chain: string): FactDef<readonly string[]> {
	return commandLines(`iptables -w -S ${chain} 2>/dev/null`);
}

/** INPUT as `iptables -S INPUT` prints it. */
export function inputRules(): FactDef<readonly string[]> {
	return commandLines('iptables -w -S INPUT');
}

/** Whether the kernel speaks IPv6 (it lists its IPv6 addresses): then sshd and the rest listen there too, unless told not to. */
export function ipv6Enabled(): FactDef<boolean> {
	const def = commandOutput('[ -e /proc/net/if_inet6 ] && echo yes || echo no');
	return {request: def.request, parse: fact => def.parse(fact) === 'yes'};
}

/** A chain as `ip6tables -S CHAIN` prints it; none when it does not exist (or there is no ip6tables). */
export function chainRules6(chain: string): FactDef<readonly string[]> {
	return commandLines(`ip6tables -w -S ${chain} 2>/dev/null`);
}

/** INPUT as `ip6tables -S INPUT` prints it. */
export function inputRules6(): FactDef<readonly string[]> {
	return commandLines('ip6tables -w -S INPUT 2>/dev/null');
}

/** The IPv6 rules saved for the next boot; '' when there are none. */
export function savedRules6(): FactDef<string> {
	const def = fileText(savedRules6Path);
	return {request: def.request, parse: fact => def.parse(fact) ?? ''};
}

/** Whether ufw is active: its status line says active, not inactive. */
export function ufwActive(): FactDef<boolean> {
	const def = commandOutput('ufw status 2>/dev/null | head -n 1');
	return {
		request: def.request,
		parse: fact => {
			const status = def.parse(fact) ?? '';
			return /\bactive\b/.test(status) && !/inactive/.test(status);
		},
	};
}

/** Whether firewalld runs. */
export function firewalldRunning(): FactDef<boolean> {
	const def = commandOutput('firewall-cmd --state 2>/dev/null');
	return {request: def.request, parse: fact => def.parse(fact) === 'running'};
}

/**
 * Whether nftables.service is enabled with an /etc/nftables.conf that starts over (`flush ruleset`): at boot and
 * at each reload it wipes every rule it did not write, iptables-nft chains included.
 */
export const nftablesFlushProbe =
	"[ -d /run/systemd/system ] && systemctl is-enabled --quiet nftables.service 2>/dev/null && grep -Eq '^[[:space:]]*flush[[:space:]]+ruleset' /etc/nftables.conf 2>/dev/null && echo flushes; true";

export function nftablesFlushes(): FactDef<boolean> {
	const def = commandOutput(nftablesFlushProbe);
	return {request: def.request, parse: fact => def.parse(fact) === 'flushes'};
}

/** The rules saved for the next boot, as iptables-save wrote them; '' when there are none. */
export function savedRules(): FactDef<string> {
	const def = fileText(savedRulesPath);
	return {request: def.request, parse: fact => def.parse(fact) ?? ''};
}

/** Whether the iptables tools are there: `offline` when the target cannot be asked. */
export type ToolsState = 'offline' | 'missing' | 'present';

/** `command -v` of each program, all of which must be found. */
export function toolsPresent(programs: readonly string[]): FactDef<ToolsState> {
	const def = commandAnswer(programs.map(name => `command -v ${name}`).join(' && '));
	return {
		request: def.request,
		parse: fact => {
			const found = def.parse(fact);
			return found === undefined ? 'offline' : found === null ? 'missing' : 'present';
		},
	};
}
