// Facts about local accounts and the files in their homes, read through getent so NSS users count too.
import type {FactDef} from '../engine/step.js';
import {quote} from '../engine/quote.js';

/** A local account as getent passwd lists it. */
export interface Account {
	/** The sixth field; empty when the entry names no home. */
	readonly home: string;
}

/** The same home lookup every home-file probe starts with. */
function homeOf(user: string): string {
	return `getent passwd ${quote(user)} | cut -d: -f6`;
}

/**
 * `getent passwd USER`: the account, null when there is none (getent fails), undefined when the target cannot be
 * asked (offline root:DIR), where plans wait for the live host instead of creating the user.
 */
export function passwdEntry(user: string): FactDef<Account | null | undefined> {
	return {
		request: {kind: 'command', command: `getent passwd ${quote(user)}`},
		parse(fact) {
			if (fact.unavailable) {
				return undefined;
			}

			const home = fact.exitCode === 0 ? fact.text.trim().split('\n')[0]?.split(':')[5] : undefined;
			return home === undefined ? null : {home};
		},
	};
}

/** The user's authorized_keys as text; empty when there is none, the user is missing or the target cannot be asked. */
export function authorizedKeys(user: string): FactDef<string> {
	return {
		request: {kind: 'command', command: `h=$(${homeOf(user)}) && [ -n "$h" ] && cat "$h/.ssh/authorized_keys" 2>/dev/null; true`},
		parse: fact => fact.text,
	};
}

/** A file in the user's home as text; null when it or the user is missing (the probe fails), or the target cannot be asked. */
export function homeFile(user: string, relative: string): FactDef<string | null> {
	return {
		request: {kind: 'command', command: `h=$(${homeOf(user)}) && [ -n "$h" ] && [ -f "$h/${relative}" ] && cat "$h/${relative}"`},
		parse: fact => (!fact.unavailable && fact.exitCode === 0 ? fact.text : null),
	};
}

/**
 * Owners of paths in the user's home, by path relative to it; a missing path has no entry (ssh refuses keys it
 * cannot read, or that others own).
 */
export function homeOwners(user: string, relatives: readonly string[]): FactDef<ReadonlyMap<string, string>> {
	return {
		request: {
			kind: 'command',
			command: `h=$(${homeOf(user)}); for r in ${relatives.map(quote).join(' ')}; do [ -e "$h/$r" ] && printf '%s %s\\n' "$(stat -c %U "$h/$r")" "$r"; done; true`,
		},
		parse(fact) {
			const owners = new Map<string, string>();
			if (fact.unavailable || fact.exitCode !== 0) {
				return owners;
			}

			for (const line of fact.text.trim().split('\n')) {
				const space = line.indexOf(' ');
				if (space > 0) {
					owners.set(line.slice(space + 1), line.slice(0, space));
				}
			}

			return owners;
		},
	};
}

/** `id -nG USER`: the user's groups by name; empty when the user is missing or the target cannot be asked. */
export function userGroups(user: string): FactDef<ReadonlySet<string>> {
	return {
		request: {kind: 'command', command: `id -nG ${quote(user)}`},
		parse: fact => new Set(fact.unavailable || fact.exitCode !== 0 ? [] : fact.text.trim().split(/\s+/).filter(Boolean)),
	};
}
