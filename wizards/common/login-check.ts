// The check that a lockout-risk step of the PAM or NSS stack holds where it matters: a new login still opens a
// session. It reads what the running services do, so a broken module shows even when every file looks right.
import type {Check} from '../../source/engine/types.js';
import type {LoginFact} from '../../source/facts/login.js';

/** No check where there is no login to prove; else pass, or fail with the client's reason. */
export function loginChecks(login: LoginFact | undefined, through: string): Check[] {
	if (login === undefined) {
		return [];
	}

	return [
		{
			id: 'fresh-login',
			title: `A new login opens a session through ${through}`,
			status: login.ok ? 'pass' : 'fail',
			evidence: login.ok ? 'a new ssh connection (no shared master) logged in and ran true' : login.reason || 'the new login failed',
			reason: `Every login goes through ${through}: a module that fails to load or refuses the session locks everyone out, whatever the files say.`,
		},
	];
}
