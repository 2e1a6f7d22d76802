// The guide's PAM session line, refused when its module is not installed: a `required` line for a missing .so fails every login.
import {addPamLine, pamModules} from '../../source/edits/pam.js';
import {answerText} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {freshLogin} from '../../source/facts/login.js';
import {loginChecks} from '../common/login-check.js';
import {checkTask} from '../common/ansible-tasks.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';
import {buildFromSource} from './nss-module.js';

/**
 * Where PAM will load the module from: an absolute path as written, else the one directory this PAM loads relative
 * names from, the one that holds pam_unix.so (Debian: /lib/<multiarch>/security; RHEL: /usr/lib64/security). A copy
 * elsewhere, such as /lib/security on Debian, is not loaded, so it does not count.
 */
export function pamModuleProbe(module: string): string {
	if (module.startsWith('/')) {
		return `[ -e ${quote(module)} ] && echo ${quote(module)}; true`;
	}

	const name = quote(module);
	return `seen=; for d in /lib/*-linux-gnu/security /usr/lib/*-linux-gnu/security /lib64/security /usr/lib64/security /lib/security /usr/lib/security; do [ -e "$d/pam_unix.so" ] && [ -e "$d/"${name} ] || continue; r=$(readlink -f "$d/"${name}); case "$seen " in *" $r "*) continue;; esac; seen="$seen $r"; echo "$d/"${name}; done; true`;
}

/** The line's words as an extended regular expression, any run of blanks between them. */
function pamWords(line: string): string {
	return line
		.trim()
		.split(/\s+/)
		.map(word => word.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('[[:space:]]+');
}

/** `session required pam_unbit.so` → the module file name. */
export function pamLineModule(line: string): string {
	return line.trim().split(/\s+/)[2] ?? '';
}

/** The paths the probe prints, '' when none (or when it could not run). */
function moduleFound(probe: string): FactDef<string> {
	const def = commandOutput(probe);
	return {request: def.request, parse: fact => def.parse(fact) ?? ''};
}

export function pamSessionStep(options: {role: string; lineParam: string; fileParam: string; sourceParam: string}): Step {
	return defineStep({
		id: 'pam-session',
		title: 'PAM session module for sshd',
		why: 'The guide builds pam-unbit and adds `session required pam_unbit.so` to /etc/pam.d/sshd, below the pam_env line, so that logins enter their container. A `required` line naming a module that is not installed makes EVERY login fail, so the line is refused until the module exists, and the stack is checked with a fresh login before the change stays.',
		role: options.role,
		params: [options.lineParam, options.fileParam, options.sourceParam],
		risk: 'lockout',
		guard: () => ({restore: 'true'}),
		facts: ctx => ({
			pam: fileText(answerText(ctx.answers, options.fileParam)),
			// Where PAM loads the module from; '' when it is not installed there.
			module: moduleFound(pamModuleProbe(pamLineModule(answerText(ctx.answers, options.lineParam)) || 'pam_unix.so')),
			// What the running stack does: a new login through sshd and this PAM file.
			login: freshLogin(),
		}),
		plan(ctx, facts) {
			const line = answerText(ctx.answers, options.lineParam).trim();
			if (line === '') {
				return noop('No PAM line chosen: the PAM stack is left alone.');
			}

			const path = answerText(ctx.answers, options.fileParam);
			const before = facts.pam;
			if (before === null) {
				throw new StepFailure(
					`${path} does not exist on ${ctx.target.label}.`,
					'Check the PAM file answer (sshd on Debian/Ubuntu: /etc/pam.d/sshd), then retry.',
				);
			}

			const module = pamLineModule(line);
			const [type = '', control = ''] = line.split(/\s+/);
			const after = addPamLine(before, {line, after: {type: 'session', module: 'pam_env.so'}}).text;
			if (before === after) {
				return noop(`${path} already has "${line}".`);
			}

			const installed = facts.module !== '';
			const source = answerText(ctx.answers, options.sourceParam);
			if (!installed && source === '') {
				throw new StepFailure(
					`Refused: ${module} is not installed, and a "${type} ${control}" line naming a missing module makes every login through ${path} fail.`,
					'Install the module first (or give its source in the answers so the step builds it), then retry.',
				);
			}

			const alreadyNamed = pamModules(before).includes(module);
			return plan(
				[!installed && ({kind: 'command', title: `Build ${module} from ${source}`, script: buildFromSource(source)} as const), fileChange(path, before, after)],
				alreadyNamed ? [`${module} is already named in ${path} on another line.`] : [],
			);
		},
		ansible(ctx) {
			const line = answerText(ctx.answers, options.lineParam).trim();
			if (line === '') {
				return {tasks: []};
			}

			const path = answerText(ctx.answers, options.fileParam);
			const module = pamLineModule(line);
			const source = answerText(ctx.answers, options.sourceParam);
			const installed = "waymark_pam_module.stdout != ''";
			return {
				tasks: [
					{
						name: `Where PAM loads ${module} from`,
						'ansible.builtin.command': {argv: ['/bin/sh', '-c', pamModuleProbe(module)]},
						register: 'waymark_pam_module',
						changed_when: false,
						check_mode: false,
					},
					...(source === ''
						? [
								{
									name: `Refused while ${module} is not installed`,
									'ansible.builtin.fail': {
										msg: `${module} is not installed, and a line naming a missing module makes every login through ${path} fail. Install the module first (or give its source in the answers), then run again.`,
									},
									when: `not (${installed})`,
								},
							]
						: [
								{
									name: `Build ${module} from ${source}`,
									'ansible.builtin.command': {argv: ['/bin/sh', '-c', `set -e\n${buildFromSource(source)}`]},
									changed_when: true,
									when: `not (${installed})`,
								},
							]),
					{
						name: `Whether ${path} already has the line`,
						'ansible.builtin.command': {argv: ['grep', '-qE', `^[[:space:]]*${pamWords(line)}[[:space:]]*$`, path]},
						register: 'waymark_pam_line',
						changed_when: false,
						failed_when: 'waymark_pam_line.rc > 1',
						check_mode: false,
					},
					{
						// Below the last pam_env session line, with Waymark's marker above it, as the step puts it.
						name: `"${line}" in ${path}`,
						'ansible.builtin.replace': {
							path,
							regexp: '(^session\\s+\\S+\\s+pam_env\\.so[^\\n]*\\n)(?![\\s\\S]*^session\\s+\\S+\\s+pam_env\\.so)',
							replace: `\\1# waymark: added\n${line}\n`,
							backup: true,
						},
						when: 'waymark_pam_line.rc == 1',
					},
					checkTask(`${module} is where PAM loads it`, `/bin/sh -c ${quote(`test -n "$(${pamModuleProbe(module)})"`)}`),
				],
				guarded: [path],
				gaps: ['a file without a pam_env session line is not edited (Waymark places the line where the stack needs it)'],
			};
		},
		verify(ctx, facts): Check[] {
			const module = pamLineModule(answerText(ctx.answers, options.lineParam));
			if (module === '') {
				return [];
			}

			const found = facts.module;
			return [
				{
					id: 'pam-module',
					title: `${module} installed`,
					status: found === '' ? 'fail' : 'pass',
					evidence: found === '' ? 'not found in the PAM security directories' : found,
					reason: 'A required PAM module that is missing fails every login.',
				},
				...loginChecks(facts.login, answerText(ctx.answers, options.fileParam)),
			];
		},
	});
}
