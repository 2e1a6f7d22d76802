// Runs the real CLI as a child process, the way an operator or a script would.
import {execa, type Result} from 'execa';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The argv that starts the CLI from source on the Node running the tests. */
export function cliCommand(...args: string[]): string[] {
	return [process.execPath, '--import', 'tsx', 'source/cli.ts', ...args];
}

// A guide on several fresh hosts installs a few hundred packages (the hypervisors guide: lxc, mariadb, nginx, php on
// four hosts) and takes minutes on a busy machine; a run cut off by this timeout ends `interrupted`, not failed.
const cliTimeoutMs = 600_000;

export async function waymark(args: readonly string[], env: Record<string, string>, input = ''): Promise<Result<{reject: false}>> {
	const [file, ...rest] = cliCommand(...args);
	const options = {cwd: repoRoot, env: {...env, CI: 'true'}, input, reject: false, timeout: cliTimeoutMs} as const;
	return execa(file!, rest, options) as unknown as Promise<Result<{reject: false}>>;
}

/** The events of a `--json` run, one object per line. */
export function jsonEvents(stdout: string): Array<Record<string, unknown>> {
	return stdout
		.split('\n')
		.filter(line => line.startsWith('{'))
		.map(line => JSON.parse(line) as Record<string, unknown>);
}
