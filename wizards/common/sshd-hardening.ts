// sshd hardening where it wins: a first-sorting drop-in when sshd_config has Include, else before the first Match.
import {disableDirectives, hasInclude, overridingBeforeInclude, renderDropIn, setDirectives} from '../../source/edits/sshd-config.js';
import {StepFailure} from '../../source/engine/errors.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step, StepContext} from '../../source/engine/types.js';
import {fileText} from '../../source/facts/files.js';
import {sshdDropIns, sshdEffective, sshdOfferedMethods, sshdProgram as sshd} from '../../source/facts/sshd.js';
import {checkTask, copyTask, shellHandler} from './ansible-tasks.js';
import {fileChange, header, plan} from './plan-helpers.js';

export const sshdConfigPath = '/etc/ssh/sshd_config';
export const sshdDropInPath = '/etc/ssh/sshd_config.d/00-waymark.conf';

/** Reloads without dropping sessions: systemd unit (ssh on Debian, sshd on RHEL), else SIGHUP to the pid file. */
export const reloadSshd = `if [ -d /run/systemd/system ]; then systemctl reload ssh 2>/dev/null || systemctl reload sshd; elif [ -f /run/sshd.pid ]; then kill -HUP "$(cat /run/sshd.pid)"; else service ssh reload; fi`;

export function sshdHardeningStep(options: {
	wizard: string;
	role: string;
	settings: (ctx: StepContext) => Record<string, string>;
	params: readonly string[];
	/** What the guide asked for, before the common reasons; the uwsgi.it guide's by default. */
	why?: string;
}): Step {
	return defineStep({
		id: 'sshd-hardening',
		title: 'Harden sshd',
		why: `${options.why ?? 'The guide adds a second authorized_keys file for uWSGI users, turns off password logins and X11 forwarding, and sets a keep-alive.'} sshd uses the first value it reads and Debian/Ubuntu include /etc/ssh/sshd_config.d/*.conf at the top, so appended lines would lose to a drop-in such as cloud-init's; the settings go into 00-waymark.conf, which sorts first. Keyboard-interactive logins are turned off too, or passwords would still work through PAM.`,
		role: options.role,
		params: options.params,
		risk: 'lockout',
		guard: () => ({restore: reloadSshd}),
		facts: () => ({
			main: fileText(sshdConfigPath),
			dropin: fileText(sshdDropInPath),
			others: sshdDropIns(),
			effective: sshdEffective(),
			offered: sshdOfferedMethods(),
		}),
		plan(ctx, facts) {
			const main = facts.main;
			if (main === null) {
				throw new StepFailure(
					`${sshdConfigPath} does not exist on ${ctx.target.label}.`,
					'Install openssh-server (the packages step, or `apt-get install openssh-server`), then retry.',
				);
			}

			const settings = options.settings(ctx);
			const keys = Object.keys(settings);
			const validate = `${sshd} -t`;
			const notes: string[] = [];
			const reload = {kind: 'command', title: 'Reload sshd (sessions stay open)', script: reloadSshd} as const;
			if (!hasInclude(main)) {
				const change = fileChange(sshdConfigPath, main, setDirectives(main, settings).text, {validateInPlace: validate});
				return plan([change, change && reload], ['sshd_config has no Include line: the settings are set in it, before the first Match block.']);
			}

			const dropIn = fileChange(sshdDropInPath, facts.dropin, renderDropIn(settings, header(options.wizard, 'sshd-hardening')), {
				mode: 0o644,
				validateInPlace: validate,
			});
			const early = overridingBeforeInclude(main, keys);
			const mainChange = early.length > 0 ? fileChange(sshdConfigPath, main, disableDirectives(main, keys).text, {validateInPlace: validate}) : undefined;
			if (mainChange) {
				notes.push(`sshd_config sets ${early.join(', ')} before its Include line, which would win over any drop-in: commented out.`);
			}

			const earlier = facts.others.filter(path => path !== sshdDropInPath && path.split('/').at(-1)! < '00-waymark.conf');
			if (earlier.length > 0) {
				notes.push(
					`${earlier.join(', ')} sort(s) before 00-waymark.conf and may set the same keys first; the check after applying shows what sshd really uses.`,
				);
			}

			const changes = [dropIn, mainChange];
			if (!changes.some(Boolean)) {
				// The files are right, but a daemon never reloaded since they changed (a run cut off between the edit and
				// the reload) still offers what they turn off: the reload is what is left to do.
				const stale = stillOffered(options.settings(ctx), facts.offered);
				if (stale.length > 0) {
					return plan([reload], [`The running sshd still offers ${stale.join(', ')}: its config was changed but it was not reloaded since.`]);
				}
			}

			return plan([...changes, changes.some(Boolean) && reload], notes);
		},
		ansible: ctx => ({
			tasks: [
				copyTask(`The settings in ${sshdDropInPath}, which sorts first`, {
					stepId: 'sshd-hardening',
					name: '00-waymark.conf',
					path: sshdDropInPath,
					mode: 0o644,
					notify: 'Reload sshd (sessions stay open)',
				}),
				// As the step validates: sshd reads the whole configuration with the drop-in in place, before any reload.
				checkTask('sshd -t accepts the configuration', 'sshd -t'),
			],
			handlers: [shellHandler('Reload sshd (sessions stay open)', reloadSshd)],
			files: {'00-waymark.conf': renderDropIn(options.settings(ctx), header(options.wizard, 'sshd-hardening'))},
			guarded: [sshdDropInPath],
			gaps: [
				`lines of ${sshdConfigPath} before its Include that set the same keys are not commented out, and an sshd_config without Include is not edited (Waymark does both); \`waymark check\` shows what sshd really uses`,
			],
		}),
		verify(ctx, facts): Check[] {
			const values = facts.effective;
			if (values === undefined) {
				return [];
			}

			const settings = options.settings(ctx);
			const files = Object.entries(settings).map(([key, wanted]) => {
				const actual = values.get(key.toLowerCase()) ?? '(unset)';
				const same = sameSshdValue(key, actual, wanted);
				return {
					id: `sshd-${key.toLowerCase()}`,
					title: `sshd ${key}`,
					status: same ? 'pass' : 'fail',
					evidence: `sshd -T: ${key.toLowerCase()} ${actual}`,
					reason: same
						? 'sshd uses the wanted value.'
						: `Expected ${wanted}: an earlier drop-in or a line before Include sets it first (sshd keeps the first value).`,
				} satisfies Check;
			});
			return [...files, liveCheck(settings, facts.offered)];
		},
	});
}

/** `sshd -T` prints some values under their old names: PermitRootLogin prohibit-password shows as without-password. */
const sshdAliases: Readonly<Record<string, Readonly<Record<string, string>>>> = {permitrootlogin: {'without-password': 'prohibit-password'}};

/** Whether sshd's effective value is the wanted one, whatever spacing, case or old alias it is printed with. */
export function sameSshdValue(key: string, actual: string, wanted: string): boolean {
	const normal = (value: string) => {
		const text = value.toLowerCase().replaceAll(/\s+/g, ' ');
		return sshdAliases[key.toLowerCase()]?.[text] ?? text;
	};
	return normal(actual) === normal(wanted);
}

/** Turning these settings off takes these methods out of what sshd offers. */
const methodOf: Readonly<Record<string, string>> = {
	passwordauthentication: 'password',
	kbdinteractiveauthentication: 'keyboard-interactive',
	challengeresponseauthentication: 'keyboard-interactive',
};

/** The methods the settings turn off that the running daemon still offers. */
function stillOffered(settings: Record<string, string>, offered: ReadonlySet<string> | undefined): string[] {
	if (offered === undefined) {
		return [];
	}

	const off = Object.entries(settings).flatMap(([key, value]) =>
		value.toLowerCase() === 'no' && methodOf[key.toLowerCase()] ? [methodOf[key.toLowerCase()]!] : [],
	);
	return [...new Set(off)].filter(method => offered.has(method));
}

/** What a fresh connection is offered: the running daemon's answer, which `sshd -T` (the files) cannot give. */
function liveCheck(settings: Record<string, string>, offered: ReadonlySet<string> | undefined): Check {
	const id = 'sshd-offered-methods';
	const title = 'sshd offers a fresh connection';
	if (offered === undefined) {
		return {
			id,
			title,
			status: 'warn',
			evidence: 'ssh -o PreferredAuthentications=none over loopback gave no list of methods',
			reason: 'The running daemon could not be asked (no ssh client on the host, or sshd does not listen on loopback); only the files were checked.',
		};
	}

	const stale = stillOffered(settings, offered);
	return {
		id,
		title,
		status: stale.length === 0 ? 'pass' : 'fail',
		evidence: `offered: ${[...offered].join(',') || '(none)'}`,
		reason:
			stale.length === 0
				? 'The running sshd offers only what the settings allow.'
				: `The running sshd still offers ${stale.join(', ')}: it was not reloaded since its config changed. Run the step again to reload it.`,
	};
}
