// The one place that decides whether anyone can answer a prompt.
export function isInteractive(env: NodeJS.ProcessEnv = process.env, stdin = process.stdin, stdout = process.stdout): boolean {
	const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
	return !ci && Boolean(stdin.isTTY) && Boolean(stdout.isTTY);
}
