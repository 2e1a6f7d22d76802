// apt-get install without questions: noninteractive, existing config files kept, only what is missing.
import {answerList} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {command} from '../../source/targets/quote.js';
import type {Step} from '../../source/engine/types.js';
import {defineStep} from '../../source/engine/step.js';
import {installedPackages} from '../../source/facts/apt.js';
import {programPath} from '../../source/facts/command.js';
import {aptTask} from './ansible-tasks.js';
import {noop, plan} from './plan-helpers.js';

/** Where dpkg journals a run it has not finished: not empty means dpkg was interrupted. */
export const dpkgUpdatesDir = '/var/lib/dpkg/updates';

/** Seconds apt waits for another apt (an earlier run cut off, unattended-upgrades) to let go of the dpkg lock. */
export const dpkgLockTimeout = 300;

/**
 * Installs packages on Debian/Ubuntu; the same command serves every wizard. `recommends: false` for packages whose
 * Recommends would bring what the host must not get (wireguard-tools recommends a whole kernel image for its module).
 */
export function aptInstallScript(packages: readonly string[], options: {readonly recommends?: boolean} = {}): string {
	const lock = `-o DPkg::Lock::Timeout=${dpkgLockTimeout}`;
	const recommends = options.recommends === false ? ' --no-install-recommends' : '';
	return [
		'export DEBIAN_FRONTEND=noninteractive',
		`apt-get ${lock} update -q`,
		// A run stopped mid-install (the stop ends dpkg on the host) leaves dpkg interrupted, and apt then refuses every
		// install until `dpkg --configure -a`. If another apt holds the lock, the install below waits for it instead.
		`if [ -n "$(ls -A ${dpkgUpdatesDir} 2>/dev/null)" ]; then dpkg --configure -a || true; fi`,
		`apt-get ${lock} install -y -q${recommends} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -- ${command(...packages)}`,
	].join('\n');
}

/** The facts the packages step reads: whether apt exists, and what is installed. */
export function aptFacts() {
	return {apt: programPath('apt-get'), installed: installedPackages()};
}

export function aptPackagesStep(options: {id?: string; title?: string; why: string; role: string; param: string}): Step {
	return defineStep({
		id: options.id ?? 'packages',
		title: options.title ?? 'Install packages',
		why: options.why,
		role: options.role,
		params: [options.param],
		facts: aptFacts,
		plan(ctx, facts) {
			const packages = answerList(ctx.answers, options.param);
			if (packages.length === 0) {
				return noop('No packages asked for.');
			}

			const missing = packages.filter(name => !facts.installed?.has(name));
			if (missing.length === 0) {
				return noop(`Already installed: ${packages.join(', ')}.`);
			}

			if (facts.apt === undefined && ctx.target.kind !== 'root') {
				throw new StepFailure(
					`${ctx.target.label} has no apt-get: this wizard installs Debian/Ubuntu packages (${missing.join(', ')}).`,
					"Install the equivalents with the host's package manager, then resume: the step sees them and moves on.",
				);
			}

			return plan([{kind: 'command', title: `apt-get install ${missing.join(' ')}`, script: aptInstallScript(missing)}], [`Missing: ${missing.join(', ')}.`]);
		},
		ansible(ctx) {
			const packages = answerList(ctx.answers, options.param);
			return {tasks: packages.length === 0 ? [] : [aptTask(`apt-get install ${packages.join(' ')} (what is missing)`, packages)]};
		},
	});
}
