// Local accounts and their authorized_keys, changed with commands that keep ~/.ssh owned by the user. What is read
// about them (passwd entries, home files, owners) is in source/facts/accounts.ts.
import {quote} from '../../source/targets/quote.js';
import type {CommandAction} from '../../source/engine/types.js';

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

/** True when every listed path exists and belongs to the user (owners as homeOwners reads them). */
export function ownedBy(owners: ReadonlyMap<string, string>, user: string, relatives: readonly string[]): boolean {
	return relatives.every(relative => owners.get(relative) === user);
}

export function chownAction(user: string, dir: string): CommandAction {
	return {kind: 'command', title: `Give ${dir} to ${user}`, script: `chown -R ${quote(user)}: ${quote(dir)} && chmod 700 ${quote(dir)}`};
}
