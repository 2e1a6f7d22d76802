// The guide's php.ini and www.conf edits for php-fpm, as INI edits on whichever PHP version is installed.
import {setIniValues} from '../../source/edits/ini.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {systemdRunning} from '../../source/facts/systemd.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';
import {phpFpmAnsible} from './php-fpm-ansible.js';

/** The newest php-fpm's directory (php5's /etc/php5/fpm on the guide's hosts, /etc/php/X.Y/fpm today). */
export const phpFpmDirProbe = 'ls -d /etc/php5/fpm /etc/php/*/fpm 2>/dev/null | sort -V | tail -n 1';

const iniFile = (file: string) => `d=$(${phpFpmDirProbe}); [ -n "$d" ] && [ -f "$d/${file}" ] && { echo "$d/${file}"; cat "$d/${file}"; }`;

/** The newest php-fpm's FILE (php.ini, pool.d/www.conf): its path and text; undefined when there is none, or no answer. */
export function phpFpmFile(file: string): FactDef<{readonly path: string; readonly text: string} | undefined> {
	return {
		request: {kind: 'command', command: iniFile(file)},
		parse(fact) {
			if (fact.unavailable || fact.exitCode !== 0 || fact.text === '') {
				return undefined;
			}

			// The probe prints the path on its first line and the file after it.
			const newline = fact.text.indexOf('\n');
			return {path: fact.text.slice(0, newline), text: fact.text.slice(newline + 1)};
		},
	};
}

/** `php-fpm8.2` for /etc/php/8.2/fpm, `php5-fpm` for /etc/php5/fpm. */
export function phpFpmName(dir: string): string {
	const version = /^\/etc\/php\/([\d.]+)\/fpm$/.exec(dir)?.[1];
	return version ? `php${version}-fpm` : 'php5-fpm';
}

/** systemd's word for the newest php-fpm's unit (php8.2-fpm for /etc/php/8.2/fpm); `no-systemd` where it is not pid 1. */
export const phpFpmRunningProbe = [
	`d=$(${phpFpmDirProbe})`,
	'case $d in /etc/php5/*) n=php5-fpm ;; *) n=php$(basename "$(dirname "$d")")-fpm ;; esac',
	'if [ ! -d /run/systemd/system ]; then echo no-systemd; else s=$(systemctl is-active "$n" 2>/dev/null); echo "$n ${s:-unknown}"; fi',
].join('\n');

/** The probe's unit state, or undefined where systemd cannot be asked. */
export function phpFpmState(text: string | undefined): string | undefined {
	const [, state] = (text ?? '').trim().split(' ');
	return state;
}

const iniSettings = {'cgi.fix_pathinfo': '0', post_max_size: '200M'};
const poolSettings = {listen: '127.0.0.1:9000'};

export function phpFpmSettingsStep(options: {role: string}): Step {
	return defineStep({
		id: 'php-fpm-settings',
		title: 'php-fpm: cgi.fix_pathinfo, post_max_size, pool on 127.0.0.1:9000',
		why:
			"The guide sets cgi.fix_pathinfo=0 (so PHP never runs a file it was not asked for) and post_max_size = 200M in php5's fpm php.ini, " +
			'and makes the www pool listen on 127.0.0.1:9000 (where the nginx site sends PHP) instead of its socket. php5 is long gone: the ' +
			'same edits are made in the newest /etc/php/X.Y/fpm, keeping comments, marking changed lines, checked with php-fpm -t, then php-fpm ' +
			'restarts.',
		role: options.role,
		facts: () => ({
			'php-ini': phpFpmFile('php.ini'),
			pool: phpFpmFile('pool.d/www.conf'),
			binary: commandOutput(`d=$(${phpFpmDirProbe}); n=$(basename "$(dirname "$d")"); command -v "php-fpm$n" || command -v php5-fpm`),
			systemd: systemdRunning(),
			running: commandOutput(phpFpmRunningProbe),
		}),
		plan(_ctx, facts) {
			const ini = facts['php-ini'];
			const pool = facts.pool;
			if (!ini || !pool) {
				return noop('php-fpm is not installed (no /etc/php/X.Y/fpm): install php-fpm (the MaaS packages) and run again.');
			}

			const binary = facts.binary;
			const validateInPlace = binary ? `${quote(binary)} -t` : undefined;
			const iniChange = fileChange(ini.path, ini.text, setIniValues(ini.text, 'PHP', iniSettings).text, {validateInPlace});
			const poolChange = fileChange(pool.path, pool.text, setIniValues(pool.text, 'www', poolSettings).text, {validateInPlace});
			const service = phpFpmName(ini.path.replace(/\/php\.ini$/, ''));
			const restart = binary !== undefined && facts.systemd === true;
			// nginx hands PHP to 127.0.0.1:9000: a pool that is not running is started even when the files are right.
			const stopped = restart && phpFpmState(facts.running) !== 'active';
			const actions = plan([
				iniChange,
				poolChange,
				(iniChange || poolChange) && restart && {kind: 'command', title: `Restart ${service}`, script: `systemctl restart ${service}`},
				!(iniChange || poolChange) &&
					stopped && {kind: 'command', title: `Start ${service} (it is not running)`, script: `systemctl enable ${service}\nsystemctl restart ${service}`},
			]);
			return actions.actions.length === 0
				? noop(`${ini.path} and ${pool.path} are as the guide wants.`)
				: {...actions, notes: restart ? [] : [`Restart ${service} with the host's init system for the settings to apply.`]};
		},
		ansible: () => phpFpmAnsible({dirProbe: phpFpmDirProbe, runningProbe: phpFpmRunningProbe, ini: iniSettings, pool: poolSettings}),
		verify(_ctx, facts): Check[] {
			const running = facts.running;
			if (facts.binary === undefined || running === undefined || running === 'no-systemd') {
				return [];
			}

			const state = phpFpmState(running) ?? 'unknown';
			const unit = running.split(' ')[0] ?? 'php-fpm';
			return [
				{
					id: 'php-fpm-running',
					title: `${unit} runs`,
					status: state === 'active' ? 'pass' : 'fail',
					evidence: `systemctl is-active ${unit}: ${state}`,
					reason: state === 'active' ? 'The pool answers on 127.0.0.1:9000.' : `Nothing answers nginx on 127.0.0.1:9000: \`journalctl -u ${unit}\` says why.`,
				},
			];
		},
	});
}
