// Runs the real CLI as a child process, the way an operator or a script would.
import {execa, type Result} from 'execa';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The argv that starts the CLI from source on the Node running the tests. */
export function cliCommand(...args: string[]): string[] {
	return [process.execPath, '--import', 'tsx', 'source/cli.ts', ...args];
}

export async function waymark(args: readonly string[], env: Record<string, string>, input = ''): Promise<Result<{reject: false}>> {
	const [file, ...rest] = cliCommand(...args);
	return execa(file!, rest, {cwd: repoRoot, env: {...env, CI: 'true'}, input, reject: false, timeout: 180_000}) as unknown as Promise<Result<{reject: false}>>;
}

/** The events of a `--json` run, one object per line. */
export function jsonEvents(stdout: string): Array<Record<string, unknown>> {
	return stdout
		.split('\n')
		.filter(line => line.startsWith('{'))
		.map(line => JSON.parse(line) as Record<string, unknown>);
}
