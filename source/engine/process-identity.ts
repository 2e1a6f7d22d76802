// A process named by more than its pid: the host's boot and the process's start time. After a reboot, or once the
// pid is reused, the same number is another process, and waiting for it or ending it would be wrong. One reading of
// /proc serves both the record and every later check, so the two can never disagree on how it is parsed.
import {quote} from './quote.js';

/**
 * Shell that puts a process's identity into variable `name`: `BOOT_ID:START`, the kernel's boot id and the process's
 * start time in clock ticks since boot (field 22 of /proc/PID/stat, counted after its parenthesized name, which may
 * hold spaces). Builtins only, so nothing is started and nothing delayed: `read` takes the two /proc lines, `set --`
 * splits the fields after the name. Empty where /proc cannot say. `pid` is shell text: a number or a quoted variable.
 */
export function identityLines(pid: string, name: string): string {
	return [
		`${name}=`,
		// The braces take the redirections' own errors too: dash reports a file it cannot open before `2>` applies.
		`if { read -r __wm_boot < /proc/sys/kernel/random/boot_id && read -r __wm_stat < /proc/${pid}/stat; } 2>/dev/null; then`,
		`  set -- \${__wm_stat##*") "}`,
		`  if [ $# -ge 20 ]; then shift 19; ${name}="$__wm_boot:$1"; fi`,
		'fi',
	].join('\n');
}

/** Whether an identity as printed can be relied on: both parts present. */
export function isIdentity(text: string): boolean {
	return /^[\w-]+:\d+$/.test(text);
}

/** The shell test that `pid` is still the process that had this identity (same boot, same start time). */
export function sameProcessTest(pid: number, identity: string): string {
	return `{ ${identityLines(String(pid), '__wm_now')}\n[ "$__wm_now" = ${quote(identity)} ]; }`;
}

/** The shell test that the host has not rebooted since the identity was taken. */
export function sameBootTest(identity: string): string {
	const boot = identity.slice(0, identity.lastIndexOf(':'));
	return `{ { read -r __wm_boot < /proc/sys/kernel/random/boot_id; } 2>/dev/null && [ "$__wm_boot" = ${quote(boot)} ]; }`;
}
