// What sshd really uses (`sshd -T`) and which drop-ins it reads: the first value sshd reads wins.
import {parseSshdT} from '../edits/sshd-config.js';
import type {FactDef} from '../engine/step.js';
import {commandLines, commandOutput} from './command.js';

/** sshd wherever it is installed; /usr/sbin/sshd when it is not on PATH (Debian's root PATH has it). */
export const sshdProgram = '"$(command -v sshd || echo /usr/sbin/sshd)"';

/** `sshd -T` as lowercase keyword → value; undefined when sshd could not be asked (offline, or it refused its config). */
export function sshdEffective(): FactDef<ReadonlyMap<string, string> | undefined> {
	const def = commandOutput(`${sshdProgram} -T 2>&1`);
	return {
		request: def.request,
		parse: fact => {
			const text = def.parse(fact);
			return text === undefined ? undefined : parseSshdT(text);
		},
	};
}

/** The drop-ins in /etc/ssh/sshd_config.d, by path, in the order the shell sorts them. */
export function sshdDropIns(): FactDef<readonly string[]> {
	return commandLines('for f in /etc/ssh/sshd_config.d/*.conf; do [ -f "$f" ] && echo "$f"; done; true');
}

/**
 * The authentication methods the running sshd offers a fresh connection, asked over loopback with the system's ssh
 * client (`PreferredAuthentications=none` makes the server list them and nothing is tried). This is the daemon's
 * own answer, not the files': a drop-in written but never reloaded shows here. Undefined when it could not be asked
 * (offline image, no ssh client, no listener reachable on loopback). A reload re-executes sshd, so a refused
 * connection is asked again a few times.
 */
export const sshdOfferedProbe = [
	'command -v ssh >/dev/null 2>&1 || { echo "no ssh client"; exit 0; }',
	`a=$(${sshdProgram} -T 2>/dev/null | awk '$1=="listenaddress"{print $2; exit}')`,
	'port=${a##*:}; host=${a%:*}; host=${host#[}; host=${host%]}',
	'case $host in 0.0.0.0|"") host=127.0.0.1;; ::) host=::1;; esac',
	'case $port in ""|*[!0-9]*) port=22;; esac',
	'n=0; while [ $n -lt 10 ]; do',
	'  out=$(ssh -o BatchMode=yes -o PreferredAuthentications=none -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' +
		' -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=5 -o LogLevel=ERROR -F /dev/null -p "$port" "waymark-probe@$host" true 2>&1 </dev/null)',
	'  case $out in *"Connection refused"*) n=$((n+1)); sleep 0.3;; *) break;; esac',
	'done; printf "%s\\n" "$out"',
].join('\n');

/** The offered methods as a fact: see sshdOfferedProbe. */
export function sshdOfferedMethods(): FactDef<ReadonlySet<string> | undefined> {
	return {
		request: {kind: 'command', command: sshdOfferedProbe},
		parse: fact => (fact.unavailable ? undefined : offeredMethods(fact.text)),
	};
}

/** The methods in ssh's "Permission denied (publickey,password)." line; undefined when there is none. */
export function offeredMethods(text: string): ReadonlySet<string> | undefined {
	const match = /Permission denied \(([^)]*)\)/.exec(text);
	return match ? new Set(match[1]!.split(',').filter(Boolean)) : undefined;
}
