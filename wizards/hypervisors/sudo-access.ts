// The guide's `apt-get install sudo` and `adduser USER sudo`, checked the way Waymark uses it: `sudo -n true` as that user.
import {answerFlag, answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep} from '../../source/engine/step.js';
import type {AnsibleStep, Check, Step} from '../../source/engine/types.js';
import {userGroups} from '../../source/facts/accounts.js';
import {commandResult} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {aptInstallScript} from '../common/apt-packages.js';
import {aptTask, copyTask} from '../common/ansible-tasks.js';
import {fileChange, header, noop, plan, untilLive} from '../common/plan-helpers.js';

export function sudoersPath(user: string): string {
	return `/etc/sudoers.d/waymark-${user.replaceAll('.', '-')}`;
}

const dropInText = (user: string) => `${header('hypervisors', 'sudo')}\n${user} ALL=(ALL:ALL) NOPASSWD: ALL\n`;

export function sudoStep(options: {role: string; userParam: string; nopasswdParam: string}): Step {
	return defineStep({
		id: `sudo-${options.role}`,
		title: 'sudo for the login user',
		why:
			'The guide installs sudo and adds the user to the sudo group, then tests with `sudo apt-get update`. Here membership is added only ' +
			'when missing (usermod -aG, which also works where adduser does not exist), and the result is checked with `sudo -n true` as that ' +
			'user: it passes without a password only with NOPASSWD (offered as a drop-in in /etc/sudoers.d, checked by visudo), otherwise run ' +
			'Waymark with --become, which asks for the password once.',
		role: options.role,
		params: [options.userParam, options.nopasswdParam],
		facts: ctx => {
			const user = answerText(ctx.answers, options.userParam);
			return {
				// Not programPath: "cannot ask" (offline) waits, "missing" installs sudo.
				sudo: commandResult('command -v sudo'),
				groups: userGroups(user),
				dropin: fileText(sudoersPath(user)),
				probe: commandResult(`su -s /bin/sh -c 'sudo -n true' ${quote(user)} 2>&1 && echo sudo-ok`),
			};
		},
		plan(ctx, facts) {
			const user = answerText(ctx.answers, options.userParam);
			if (facts.sudo === undefined) {
				return untilLive('sudo is set up');
			}

			const path = sudoersPath(user);
			const dropIn = answerFlag(ctx.answers, options.nopasswdParam)
				? fileChange(path, facts.dropin, dropInText(user), {
						mode: 0o440,
						validateCandidate: 'visudo -cf {}',
					})
				: undefined;
			const actions = plan([
				facts.sudo.exitCode !== 0 && {kind: 'command', title: 'apt-get install sudo', script: aptInstallScript(['sudo'])},
				user !== 'root' && !facts.groups.has('sudo') && {kind: 'command', title: `Add ${user} to the sudo group`, script: `usermod -aG sudo ${quote(user)}`},
				dropIn,
				// Turning NOPASSWD off must take it away again, not leave passwordless root behind.
				!answerFlag(ctx.answers, options.nopasswdParam) &&
					facts.dropin !== null && {kind: 'command', title: `Remove ${path} (sudoNopasswd is off)`, script: `rm -f ${quote(path)}`},
			]);
			return actions.actions.length === 0 ? noop(user === 'root' ? 'The login user is root: sudo is not needed.' : `${user} is in the sudo group.`) : actions;
		},
		ansible(ctx): AnsibleStep {
			const user = answerText(ctx.answers, options.userParam);
			const path = sudoersPath(user);
			const groups = `waymark_groups_${options.role}`;
			const membership =
				user === 'root'
					? []
					: [
							{name: `${user}'s groups`, 'ansible.builtin.command': {argv: ['id', '-nG', user]}, register: groups, changed_when: false},
							{
								name: `Add ${user} to the sudo group`,
								'ansible.builtin.command': {argv: ['usermod', '-aG', 'sudo', user]},
								when: `'sudo' not in ${groups}.stdout.split()`,
								changed_when: true,
							},
						];
			return {
				tasks: [
					aptTask('sudo', ['sudo']),
					...membership,
					answerFlag(ctx.answers, options.nopasswdParam)
						? copyTask(`sudo without a password for ${user}, checked by visudo`, {
								stepId: `sudo-${options.role}`,
								name: 'sudoers',
								path,
								mode: 0o440,
								validate: 'visudo -cf %s',
							})
						: {name: `No ${path} (sudoNopasswd is off)`, 'ansible.builtin.file': {path, state: 'absent'}},
				],
				files: answerFlag(ctx.answers, options.nopasswdParam) ? {sudoers: dropInText(user)} : undefined,
			};
		},
		verify(ctx, facts): Check[] {
			const user = answerText(ctx.answers, options.userParam);
			const probe = facts.probe;
			if (probe === undefined || user === 'root') {
				return [];
			}

			const ok = /sudo-ok\s*$/.test(probe.text);
			return [
				{
					id: 'sudo-n-true',
					title: `sudo -n true as ${user}`,
					status: ok ? 'pass' : 'warn',
					evidence: ok ? 'sudo -n true: exit 0' : `sudo -n true: ${probe.text.trim().split('\n')[0] ?? 'failed'}`,
					reason: ok ? 'sudo works without a prompt.' : 'sudo asks for a password: run Waymark with --become (it asks once), or set sudoNopasswd.',
				},
			];
		},
	});
}
