// Reads what bin/ssh logged during a waymark run: per host, the ssh processes and the commands sent through them.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';

export interface HostTrips {
	/** Commands sent through Waymark's long-lived remote shell (one request each). */
	readonly shellCommands: number;
	/** ssh processes that ran one command of their own (a fresh login, a one-off). */
	readonly separateCommands: number;
	/** ssh processes that opened the shared connection and its shell. */
	readonly sessions: number;
	/** `ssh -O …` control calls on the shared connection (no round trip to the host's shell). */
	readonly controls: number;
}

/** One line of what bin/ssh saw: a request starts with this line (requestText in source/targets/remote-shell.ts). */
const requestStart = '__wm_in=$(mktemp)';

export function readSshLog(prefix: string, hosts: readonly string[]): Map<string, HostTrips> {
	const dir = dirname(prefix);
	const stem = `${basename(prefix)}.`;
	const byHost = new Map<string, {shellCommands: number; separateCommands: number; sessions: number; controls: number}>(
		hosts.map(host => [host, {shellCommands: 0, separateCommands: 0, sessions: 0, controls: 0}]),
	);
	for (const name of readdirSync(dir).filter(each => each.startsWith(stem) && each.endsWith('.argv'))) {
		const argv = readFileSync(join(dir, name), 'utf8').trim().split(/\s+/);
		const host = hosts.find(each => argv.includes(each));
		const counts = host === undefined ? undefined : byHost.get(host);
		if (counts === undefined) continue;
		const stdin = join(dir, name.replace(/\.argv$/, '.stdin'));
		if (argv.includes('-O')) counts.controls++;
		else if (argv.at(-1) === 'sh' && argv.at(-2) === 'exec') {
			counts.sessions++;
			counts.shellCommands += existsSync(stdin)
				? readFileSync(stdin, 'utf8')
						.split('\n')
						.filter(line => line === requestStart).length
				: 0;
		} else counts.separateCommands++;
	}

	return byHost;
}
