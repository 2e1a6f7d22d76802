// Local accounts and their authorized_keys: read with getent, changed with commands that keep ~/.ssh owned by the user.
import {quote} from '../../source/targets/quote.js';
import type {CommandAction, FactRequest, Facts} from '../../source/engine/types.js';
import {output} from '../common/plan-helpers.js';

/** `getent passwd USER` under `key`; missing user = failed command. */
export function passwdFact(key: string, user: string): FactRequest {
	return {kind: 'command', key, command: `getent passwd ${quote(user)}`};
}

/** The user's home from a passwd fact, or undefined when the account does not exist (or the target is offline). */
export function homeOf(facts: Facts, key: string): string | undefined {
	return output(facts, key)?.split('\n')[0]?.split(':')[5];
}

/** useradd for a missing account: a system account (no password, no login shell) or an ordinary login. */
export function createUserAction(user: string, kind: 'service' | 'login'): CommandAction {
	const flags =
		kind === 'service' ? `--system --create-home --home-dir ${quote(`/home/${user}`)} --shell /usr/sbin/nologin` : '--create-home --shell /bin/bash';
	return {
		kind: 'command',
		title: `Create the ${kind === 'service' ? 'service account' : 'account'} ${user}`,
		script: `id -u ${quote(user)} >/dev/null 2>&1 || useradd ${flags} ${quote(user)}`,
	};
}

/** The user's authorized_keys as text; empty when there is none. */
export function authorizedKeysFact(key: string, user: string): FactRequest {
	return {kind: 'command', key, command: `h=$(getent passwd ${quote(user)} | cut -d: -f6) && [ -n "$h" ] && cat "$h/.ssh/authorized_keys" 2>/dev/null; true`};
}

/** The key's base64 blob, the part that identifies it whatever options or comment surround it. */
export function keyBlob(line: string): string {
	return line.split(/\s+/).find(word => /^AAAA[\w+/]+=*$/.test(word)) ?? line;
}

export function hasKeyLine(authorizedKeys: string, line: string): boolean {
	return authorizedKeys.split('\n').some(each => each.trim() === line.trim());
}

/** Replaces any line with the same key by `line` (so changed options take effect) and keeps every other key, atomically. */
export function installKeyAction(user: string, line: string, title: string): CommandAction {
	const u = quote(user);
	return {
		kind: 'command',
		title,
		script: [
			'set -e',
			`h=$(getent passwd ${u} | cut -d: -f6); g=$(id -gn ${u})`,
			`install -d -m 700 -o ${u} -g "$g" "$h/.ssh"`,
			'f="$h/.ssh/authorized_keys"; t="$f.waymark.$$"',
			`{ if [ -f "$f" ]; then grep -vF ${quote(keyBlob(line))} "$f" || true; fi; printf '%s\\n' ${quote(line)}; } > "$t"`,
			`chown ${u}:"$g" "$t"; chmod 600 "$t"; mv -f "$t" "$f"`,
		].join('\n'),
	};
}

/** A file in the user's home as text (exit 1 when it or the user is missing). */
export function homeFileFact(key: string, user: string, relative: string): FactRequest {
	return {kind: 'command', key, command: `h=$(getent passwd ${quote(user)} | cut -d: -f6) && [ -n "$h" ] && [ -f "$h/${relative}" ] && cat "$h/${relative}"`};
}

/** The text of a homeFileFact, or null when the file is missing. */
export function homeFileText(facts: Facts, key: string): string | null {
	const found = facts.get(key);
	return found && !found.unavailable && found.exitCode === 0 ? found.text : null;
}

/** Owners of paths in the user's home, one `OWNER RELATIVE` line each (ssh refuses keys it cannot read or that others can). */
export function ownersFact(key: string, user: string, relatives: readonly string[]): FactRequest {
	return {
		kind: 'command',
		key,
		command: `h=$(getent passwd ${quote(user)} | cut -d: -f6); for r in ${relatives.map(quote).join(' ')}; do [ -e "$h/$r" ] && printf '%s %s\\n' "$(stat -c %U "$h/$r")" "$r"; done; true`,
	};
}

/** True when every listed path exists and belongs to the user. */
export function ownedBy(facts: Facts, key: string, user: string, relatives: readonly string[]): boolean {
	const lines = new Set((output(facts, key) ?? '').split('\n'));
	return relatives.every(relative => lines.has(`${user} ${relative}`));
}

export function chownAction(user: string, dir: string): CommandAction {
	return {kind: 'command', title: `Give ${dir} to ${user}`, script: `chown -R ${quote(user)}: ${quote(dir)} && chmod 700 ${quote(dir)}`};
}
