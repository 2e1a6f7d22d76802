// ssh's answer to a fresh login, read where ssh is known: its exit code and the reason it printed last.
import {type LoginResult, oneLine, type RunResult} from '../engine/target.js';

/** A refused key and a dropped connection both exit 255; only ssh's message tells them apart. */
export function loginResult(result: RunResult): LoginResult {
	const reason = oneLine(result.stderr.trim().split('\n').at(-1) ?? '');
	if (result.exitCode === 0) {
		return {ok: true, refused: false, reason: ''};
	}

	// The login ran `true`: any other exit with no word from ssh is the server ending the session it had accepted.
	const sessionRefused = sessionEndedByServer(result.exitCode) && result.stderr.trim() === '';
	return {
		ok: false,
		refused: sessionRefused || /Permission denied|Too many authentication/i.test(result.stderr),
		reason: sessionRefused ? sessionRefusedText(result.exitCode) : reason || `exit ${result.exitCode}`,
	};
}

/** What a session the host ended before its shell started means, and where to look. */
export function sessionRefusedText(code: number): string {
	return `the login was accepted, then the host ended the session before its shell started (exit ${code}, nothing said): a PAM session module (/etc/pam.d/sshd), the account's shell or a ForceCommand refuses it; look at the host's console or journal (journalctl -u ssh)`;
}

/**
 * An exit code the server gives a session it ended itself (sshd uses 254 for a session it could not set up): not
 * success, not ssh's own 255, not 128+N for a signal that stopped ssh here (an interrupt, a timeout's kill).
 */
export function sessionEndedByServer(code: number): boolean {
	return code !== 0 && code !== 255 && (code <= 128 || code > 192);
}
