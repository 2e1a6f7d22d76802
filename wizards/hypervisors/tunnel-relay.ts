// The hypervisor side of a tunnel: a `tunnel` account that may only hold one loopback port open, in sshd and in its key.
import {hasInclude} from '../../source/edits/sshd-config.js';
import {answerText} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {authorizedKeys, passwdEntry} from '../../source/facts/accounts.js';
import {fileText} from '../../source/facts/files.js';
import {createUserAction, hasKeyLine, installKeyAction, keyBlob} from './accounts.js';
import {userKeyAnsible} from './accounts-ansible.js';
import {checkTask, copyTask, shellHandler} from '../common/ansible-tasks.js';
import {fileChange, header, noop, plan} from '../common/plan-helpers.js';
import {reloadSshd} from '../common/sshd-hardening.js';
import {remoteForward} from './tunnel-peers.js';
import {tunnelKeySecret} from './tunnel-client.js';
import {publicKeyOf} from './vault-ssh-keys.js';

export const relayDropInPath = '/etc/ssh/sshd_config.d/50-waymark-tunnel.conf';

/** sshd settings for the tunnel account only: remote forwards to one loopback port, nothing else. */
export function relayMatchBlock(ctx: StepContext): string {
	return [
		`Match User ${answerText(ctx.answers, 'tunnelUser')}`,
		'\tAllowTcpForwarding remote',
		'\tGatewayPorts clientspecified',
		`\tPermitListen ${remoteForward(ctx).listen}`,
		'\tPermitTTY no',
		'\tX11Forwarding no',
		'\tAllowAgentForwarding no',
		'\tForceCommand /bin/false',
		// A MaaS that crashed leaves its forward holding the port until TCP gives up (about two hours): asked every
		// 15 s, a dead MaaS is dropped after 45 s, and its autossh can take the port again.
		'\tClientAliveInterval 15',
		'\tClientAliveCountMax 3',
		'',
	].join('\n');
}

/** The MaaS's tunnel key, locked to holding that one port open; `publicLine` is its .pub line where it is known. */
export function relayKeyLine(ctx: StepContext, publicLine = publicKeyOf(ctx.secrets.get(tunnelKeySecret) ?? '', 'waymark-tunnel')): string {
	return `restrict,port-forwarding,permitlisten="${remoteForward(ctx).listen}" ${publicLine}`;
}

export function tunnelRelayStep(options: {wizard: string; role: string}): Step {
	return defineStep({
		id: 'tunnel-relay',
		title: 'Tunnel account on the hypervisor (restricted key, Match User)',
		why:
			'The guide lets the MaaS log in to each hypervisor as an ordinary user to hold its RemoteForward open, which also gives that key a ' +
			'shell. Here the MaaS logs in as a dedicated account without a login shell whose key may only listen on 127.0.0.1:44443 ' +
			'(`restrict,port-forwarding,permitlisten=…` in authorized_keys), and sshd says the same in a `Match User` block (AllowTcpForwarding ' +
			'remote, PermitListen, PermitTTY no; PITFALLS §10), written as a drop-in, checked with `sshd -t` and applied with a rollback armed. ' +
			'ClientAliveInterval 15 × 3 in the same block drops the forward of a MaaS that died within 45 s, rather than the two hours TCP takes, ' +
			'so its autossh can take the port again.',
		role: options.role,
		params: ['tunnelUser', 'relayPort', 'httpsPort'],
		risk: 'lockout',
		guard: () => ({restore: reloadSshd}),
		facts: ctx => ({
			passwd: passwdEntry(answerText(ctx.answers, 'tunnelUser')),
			keys: authorizedKeys(answerText(ctx.answers, 'tunnelUser')),
			main: fileText('/etc/ssh/sshd_config'),
			dropin: fileText(relayDropInPath),
		}),
		plan(ctx, facts) {
			const user = answerText(ctx.answers, 'tunnelUser');
			const main = facts.main;
			if (main === null) {
				throw new StepFailure(`/etc/ssh/sshd_config does not exist on ${ctx.target.label}.`, 'Install openssh-server, then retry.');
			}

			const block = relayMatchBlock(ctx);
			const validateInPlace = '"$(command -v sshd || echo /usr/sbin/sshd)" -t';
			const sshd = hasInclude(main)
				? fileChange(relayDropInPath, facts.dropin, `${header(options.wizard, 'tunnel-relay')}\n${block}`, {mode: 0o644, validateInPlace})
				: main.includes(block)
					? undefined
					: fileChange('/etc/ssh/sshd_config', main, `${main.replace(/\n*$/, '\n\n')}${block}`, {validateInPlace});
			const line = relayKeyLine(ctx);
			const live = facts.passwd !== undefined;
			const missingUser = facts.passwd === null;
			const key = live && !hasKeyLine(facts.keys, line);
			const actions = plan([
				missingUser && createUserAction(user, 'service'),
				key && installKeyAction(user, line, `Allow the MaaS tunnel key for ${user} (port forwarding to ${remoteForward(ctx).listen} only)`),
				sshd,
				sshd && {kind: 'command', title: 'Reload sshd (sessions stay open)', script: reloadSshd},
			]);
			return actions.actions.length === 0 ? noop(`${user} may hold ${remoteForward(ctx).listen} open and do nothing else.`) : actions;
		},
		ansible(ctx) {
			const publicLine = ctx.publicParts?.get(tunnelKeySecret);
			if (publicLine === undefined) {
				throw new Error("the tunnel key's public line was not made; run it with Waymark: waymark run GUIDE --only tunnel-relay");
			}

			const reload = 'Reload sshd (sessions stay open)';
			const line = relayKeyLine(ctx, publicLine);
			return {
				tasks: [
					...userKeyAnsible(answerText(ctx.answers, 'tunnelUser'), 'service', line, keyBlob(line)),
					copyTask(`The Match User block in ${relayDropInPath}`, {
						stepId: 'tunnel-relay',
						name: '50-waymark-tunnel.conf',
						path: relayDropInPath,
						mode: 0o644,
						notify: reload,
					}),
					// As the step validates: sshd reads the whole configuration with the drop-in in place, before any reload.
					checkTask('sshd -t accepts the configuration', 'sshd -t'),
				],
				handlers: [shellHandler(reload, reloadSshd)],
				files: {'50-waymark-tunnel.conf': `${header(options.wizard, 'tunnel-relay')}\n${relayMatchBlock(ctx)}`},
				guarded: [relayDropInPath],
				gaps: ['an sshd_config without an Include line does not get the block (Waymark appends it there)'],
			};
		},
	});
}
