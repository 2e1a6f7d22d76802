// A brand-new login, made the way the operator's own client makes it: the one fact that shows what the running
// sshd, its PAM stack and NSS do together. Files can look right while a session module fails to load.
import type {FactDef} from '../engine/step.js';

export interface LoginFact {
	readonly ok: boolean;
	/** The server refused the key, rather than the connection failing. */
	readonly refused: boolean;
	/** The client's own reason; empty when the login worked. */
	readonly reason: string;
}

/** How a new login went; undefined where there is no login to prove (an offline image, this machine's console). */
export function freshLogin(): FactDef<LoginFact | undefined> {
	return {
		request: {kind: 'login'},
		parse: fact => (fact.unavailable ? undefined : {ok: fact.exitCode === 0, refused: fact.exitCode === 2, reason: fact.text.trim()}),
	};
}
