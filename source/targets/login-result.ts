// ssh's answer to a fresh login, read where ssh is known: its exit code and the reason it printed last.
import type {LoginResult, RunResult} from '../engine/target.js';

/** A refused key and a dropped connection both exit 255; only ssh's message tells them apart. */
export function loginResult(result: RunResult): LoginResult {
	const reason = result.stderr.trim().split('\n').at(-1)?.trim() ?? '';
	if (result.exitCode === 0) {
		return {ok: true, refused: false, reason: ''};
	}

	return {ok: false, refused: /Permission denied|Too many authentication/i.test(result.stderr), reason: reason || `exit ${result.exitCode}`};
}
