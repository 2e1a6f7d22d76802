// apt-get install without questions: noninteractive, existing config files kept, only what is missing.
import {answerList} from '../../source/engine/params.js';
import {StepFailure} from '../../source/engine/errors.js';
import {command} from '../../source/targets/quote.js';
import type {Step} from '../../source/engine/types.js';
import {noop, output, plan} from './plan-helpers.js';

/** Installs packages on Debian/Ubuntu; the same command serves every wizard. */
export function aptInstallScript(packages: readonly string[]): string {
	return [
		'export DEBIAN_FRONTEND=noninteractive',
		'apt-get update -q',
		`apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${command(...packages)}`,
	].join('\n');
}

/** dpkg's view of which of these packages are installed ("ii"). */
export function installedProbe(packages: readonly string[]): string {
	return `dpkg-query -W -f='\${Package} \${db:Status-Abbrev}\\n' ${command(...packages)} 2>/dev/null; true`;
}

export function installedSet(text: string | undefined): Set<string> {
	return new Set(
		(text ?? '')
			.split('\n')
			.map(line => line.trim().split(/\s+/))
			.filter(([, status]) => status === 'ii')
			.map(([name]) => name!.replace(/:.*$/, '')),
	);
}

export function aptPackagesStep(options: {id?: string; title?: string; why: string; role: string; param: string}): Step {
	return {
		id: options.id ?? 'packages',
		title: options.title ?? 'Install packages',
		why: options.why,
		role: options.role,
		params: [options.param],
		facts(ctx) {
			const packages = answerList(ctx.answers, options.param);
			return [
				{kind: 'command', key: 'apt', command: 'command -v apt-get'},
				{kind: 'command', key: 'installed', command: installedProbe(packages.length > 0 ? packages : ['dpkg'])},
			];
		},
		plan(ctx, facts) {
			const packages = answerList(ctx.answers, options.param);
			if (packages.length === 0) {
				return noop('No packages asked for.');
			}

			const installed = installedSet(output(facts, 'installed'));
			const missing = packages.filter(name => !installed.has(name));
			if (missing.length === 0) {
				return noop(`Already installed: ${packages.join(', ')}.`);
			}

			if (output(facts, 'apt') === undefined && ctx.target.kind !== 'root') {
				throw new StepFailure(`${ctx.target.label} has no apt-get: this wizard installs Debian/Ubuntu packages (${missing.join(', ')}).`, 'Install the equivalents with the host\'s package manager, then resume: the step sees them and moves on.');
			}

			return plan([{kind: 'command', title: `apt-get install ${missing.join(' ')}`, script: aptInstallScript(missing)}], [`Missing: ${missing.join(', ')}.`]);
		},
	};
}
