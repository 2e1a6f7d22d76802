// The guide's NSS module: built from its source if missing, then named in nsswitch.conf only once its .so exists.
import {addNssModule, nssSources} from '../../source/edits/nsswitch.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandAnswer, commandOutput, commandResult} from '../../source/facts/command.js';
import {freshLogin} from '../../source/facts/login.js';
import {loginChecks} from '../common/login-check.js';
import {fileText} from '../../source/facts/files.js';
import {checkTask} from '../common/ansible-tasks.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';

export const nssDatabases = ['passwd', 'group', 'shadow'];

/** Where glibc looks for NSS modules: the multiarch dirs, lib64 on RHEL, and /lib and /usr/lib (one dir on merged /usr). */
export const nssLibraryDirs = ['/lib/*-linux-gnu', '/usr/lib/*-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'];

/** Prints each path that exists once per real file: on merged /usr, /lib/x and /usr/lib/x are one file. */
function onceEach(globs: readonly string[]): string {
	return `seen=; for f in ${globs.join(' ')}; do [ -e "$f" ] || continue; r=$(readlink -f "$f"); case "$seen " in *" $r "*) continue;; esac; seen="$seen $r"; echo "$f"; done; true`;
}

/** The installed copies of libnss_NAME.so.2, each real file once. */
export function nssLibraryProbe(module: string): string {
	const name = quote(`libnss_${module}.so.2`);
	return onceEach(nssLibraryDirs.map(dir => `${dir}/${name}`));
}

/** Every installed NSS module, each real file once. */
export const nssModulesProbe = onceEach(nssLibraryDirs.map(dir => `${dir}/libnss_*.so.2`));

/** Clones a source tree into a temporary directory and runs make there (as the guide does, as root). */
export function buildFromSource(source: string, makeArgs = ''): string {
	return [
		// A bare host has no compiler: say what is missing and where it comes from, rather than "git: not found".
		'missing=; for t in git make cc; do command -v "$t" >/dev/null 2>&1 || missing="$missing $t"; done',
		'if [ -n "$missing" ]; then echo "building from source needs:$missing; the packages step installs them (git make build-essential libpam-dev)" >&2; exit 1; fi',
		'd=$(mktemp -d)',
		`trap 'rm -rf "$d"' EXIT`,
		`git clone --depth 1 -- ${quote(source)} "$d/src"`,
		`make -C "$d/src" ${makeArgs}`.trimEnd(),
	].join('\n');
}

/** The NSS modules installed, by name (libnss_NAME.so.2); undefined when the target cannot be asked (offline). */
function installedNssModules(): FactDef<ReadonlySet<string> | undefined> {
	const def = commandAnswer(nssModulesProbe);
	return {
		request: def.request,
		parse: fact => {
			const listed = def.parse(fact);
			if (listed === undefined) {
				return undefined;
			}

			return new Set(
				(listed ?? '')
					.split('\n')
					.map(path => /libnss_(.+)\.so\.2$/.exec(path)?.[1])
					.filter((name): name is string => Boolean(name)),
			);
		},
	};
}

export function nssModuleStep(options: {role: string; moduleParam: string; sourceParam: string}): Step {
	return defineStep({
		id: 'nss-module',
		title: 'Container users in nsswitch.conf',
		why: 'Container users must resolve on the host, so the guide builds the nss-unbit module and adds it to the passwd, group and shadow lines of /etc/nsswitch.conf. glibc silently skips a module that is missing, so the word is added only once libnss_<name>.so.2 is installed, right after files (or compat on old systems).',
		role: options.role,
		params: [options.moduleParam, options.sourceParam],
		risk: 'lockout',
		guard: () => ({restore: 'true'}),
		facts: ctx => ({
			nsswitch: fileText('/etc/nsswitch.conf'),
			// The installed copies of the chosen module; '' or undefined when there are none.
			library: commandOutput(nssLibraryProbe(answerText(ctx.answers, options.moduleParam) || 'files')),
			authselect: commandOutput('command -v authselect && authselect current 2>/dev/null | head -n 1'),
			modules: installedNssModules(),
			// What the running lookups do: root through the live nsswitch.conf (and any cache in front of it), and a new login.
			lookup: commandResult('getent passwd root && getent group root'),
			login: freshLogin(),
		}),
		plan(ctx, facts) {
			const module = answerText(ctx.answers, options.moduleParam);
			if (module === '') {
				return noop('No NSS module chosen: nsswitch.conf is left alone.');
			}

			const before = facts.nsswitch ?? '';
			const after = addNssModule(before, {databases: nssDatabases, module}).text;
			const installed = facts.library !== undefined && facts.library !== '';
			const source = answerText(ctx.answers, options.sourceParam);
			const notes: string[] = [];
			if (/Profile ID/.test(facts.authselect ?? '')) {
				notes.push('authselect manages nsswitch.conf here and may overwrite it: make a custom profile (`authselect create-profile`) with this module.');
			}

			if (!installed && source === '' && before !== after) {
				return noop(
					`libnss_${module}.so.2 is not installed and no source was given: nsswitch.conf is left alone, because glibc would skip the module silently.`,
				);
			}

			const build = !installed && source !== '' && ({kind: 'command', title: `Build ${module} from ${source}`, script: buildFromSource(source)} as const);
			return plan([build, fileChange('/etc/nsswitch.conf', before, after, {validateInPlace: 'getent passwd root >/dev/null'})], notes);
		},
		ansible(ctx) {
			const module = answerText(ctx.answers, options.moduleParam);
			if (module === '') {
				return {tasks: []};
			}

			const source = answerText(ctx.answers, options.sourceParam);
			const installed = "waymark_nss_library.stdout != ''";
			const escaped = module.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
			return {
				tasks: [
					{
						name: `Where libnss_${module}.so.2 is installed`,
						'ansible.builtin.command': {argv: ['/bin/sh', '-c', nssLibraryProbe(module)]},
						register: 'waymark_nss_library',
						changed_when: false,
						check_mode: false,
					},
					...(source === ''
						? []
						: [
								{
									name: `Build ${module} from ${source}`,
									'ansible.builtin.command': {argv: ['/bin/sh', '-c', `set -e\n${buildFromSource(source)}`]},
									changed_when: true,
									when: `not (${installed})`,
									register: 'waymark_nss_build',
								},
							]),
					{
						// The word after files (compat on old systems), as the step adds it, the line it replaces kept as a comment above.
						name: `${module} after files on the ${nssDatabases.join(', ')} lines of /etc/nsswitch.conf`,
						'ansible.builtin.replace': {
							path: '/etc/nsswitch.conf',
							regexp: `^(?!.*\\b${escaped}\\b)((${nssDatabases.join('|')}):(\\s+)(?:files|compat))(.*)$`,
							replace: `# waymark: was "\\g<0>"\n\\1 ${module}\\4`,
							backup: true,
						},
						// glibc skips a missing module silently: the word goes in only once the library is there.
						when: source === '' ? installed : `(${installed}) or (waymark_nss_build is changed)`,
					},
					checkTask('root still resolves through NSS', 'getent passwd root'),
				],
				guarded: ['/etc/nsswitch.conf'],
				gaps: ['only lines whose first source is files are edited (Waymark also places the word after compat); authselect is not detected'],
			};
		},
		verify(ctx, facts): Check[] {
			const module = answerText(ctx.answers, options.moduleParam);
			const nsswitch = facts.nsswitch;
			const installed = nsswitch === null ? undefined : facts.modules;
			if (nsswitch === null || installed === undefined) {
				return [];
			}

			// Built into glibc, or syntax rather than a module.
			const builtin = new Set(['files', 'dns', 'compat']);
			const live = [...lookupChecks(facts.lookup), ...loginChecks(facts.login, 'sshd and nsswitch.conf')];
			return [
				...live,
				...nssDatabases.flatMap(database => {
					const sources = nssSources(nsswitch, database) ?? [];
					const missing = sources.filter(source => !builtin.has(source) && !installed.has(source));
					return missing.length === 0
						? []
						: [
								{
									id: `nss-${database}`,
									title: `NSS modules for ${database}`,
									status: missing.includes(module) ? 'fail' : 'warn',
									evidence: `nsswitch.conf ${database}: ${sources.join(' ')}; no libnss_${missing.join('.so.2, libnss_')}.so.2 installed`,
									reason: 'glibc skips a missing NSS module silently, so the users it should provide do not exist on this host.',
								} satisfies Check,
							];
				}),
			];
		},
	});
}

/** root resolves through the live NSS stack: without it, su, sudo and root's own login fail. */
function lookupChecks(lookup: {readonly text: string; readonly exitCode: number} | undefined): Check[] {
	if (lookup === undefined) {
		return [];
	}

	const ok = lookup.exitCode === 0;
	return [
		{
			id: 'nss-lookup',
			title: 'root resolves through nsswitch.conf',
			status: ok ? 'pass' : 'fail',
			evidence: ok ? lookup.text.trim().split('\n').join('; ') : `getent passwd root / getent group root exited ${lookup.exitCode}`,
			reason: 'Every login looks its user up through NSS: a lookup that fails for root fails for the way back in.',
		},
	];
}
