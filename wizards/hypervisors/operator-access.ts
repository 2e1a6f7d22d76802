// The guide's "send your key": a Waymark-made operator key in the login user's authorized_keys, once, on every host.
import {answerText} from '../../source/engine/params.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {authorizedKeys, passwdEntry} from '../../source/facts/accounts.js';
import {createUserAction, hasKeyLine, installKeyAction, keyBlob} from './accounts.js';
import {userKeyAnsible} from './accounts-ansible.js';
import {noop, plan, untilLive} from '../common/plan-helpers.js';
import {publicKeyOf} from './vault-ssh-keys.js';

export const operatorKeyComment = 'waymark-operator';

export function operatorKeyStep(options: {role: string; userParam: string; secret: string; keyTypeParam: string}): Step {
	return defineStep({
		id: `operator-key-${options.role}`,
		title: 'Operator key in authorized_keys',
		why:
			'The guide makes a key with `ssh-keygen -b 4096` and appends it with `cat id_rsa.pub | ssh USER@HOST "cat - >> ' +
			'.ssh/authorized_keys"`, which adds it again on every run. Here Waymark makes the key (ed25519 unless you ask for rsa, which is ' +
			"then 4096 bits), keeps it 0600 in your vault, and puts it in the user's authorized_keys only when it is not there yet, with " +
			"~/.ssh owned by the user and mode 0700/0600. The first login that still needs a password is your ssh client's business: run " +
			'`ssh-copy-id` with the key from the vault, or let the askpass prompt take the password; Waymark never stores passwords.',
		role: options.role,
		params: [options.userParam, options.keyTypeParam, 'vault'],
		facts: ctx => ({passwd: passwdEntry(answerText(ctx.answers, options.userParam)), keys: authorizedKeys(answerText(ctx.answers, options.userParam))}),
		plan(ctx, facts) {
			const user = answerText(ctx.answers, options.userParam);
			const line = publicKeyOf(ctx.secrets.get(options.secret) ?? '', operatorKeyComment);
			if (facts.passwd === undefined) {
				return untilLive(`the key is installed for ${user}`);
			}

			const missingUser = facts.passwd === null;
			if (!missingUser && hasKeyLine(facts.keys, line)) {
				return noop(`${user} already accepts the operator key (${line.split(' ')[0]}).`);
			}

			return plan(
				[missingUser && createUserAction(user, 'login'), installKeyAction(user, line, `Add the operator key to ~${user}/.ssh/authorized_keys`)],
				[`Log in with \`ssh -i ${answerText(ctx.answers, 'vault')}/hypervisors/operator/id_${answerText(ctx.answers, options.keyTypeParam)} ${user}@HOST\`.`],
			);
		},
		ansible(ctx) {
			const line = ctx.publicParts?.get(options.secret);
			if (line === undefined) {
				throw new Error(`the operator key's public line was not made; run it with Waymark: waymark run GUIDE --only operator-key-${options.role}`);
			}

			return {tasks: userKeyAnsible(answerText(ctx.answers, options.userParam), 'login', line, keyBlob(line))};
		},
	});
}
