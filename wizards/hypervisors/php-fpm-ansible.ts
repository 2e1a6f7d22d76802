// The php-fpm settings as Ansible tasks: the same INI edits as the step, through Waymark's own module (shipped in the
// project's library/ as waymark_ini), on the newest /etc/php/X.Y/fpm, checked by php-fpm -t, then php-fpm restarted.
import {loadAsset} from '../../source/engine/assets.js';
import type {AnsibleStep} from '../../source/engine/types.js';
import {platformFacts} from '../common/ansible-tasks.js';

const iniModule = loadAsset('ansible/waymark_ini.py');

export interface PhpFpmAnsibleOptions {
	/** Prints the newest php-fpm's directory, or nothing. */
	readonly dirProbe: string;
	/** Prints `UNIT STATE` (or no-systemd). */
	readonly runningProbe: string;
	readonly ini: Readonly<Record<string, string>>;
	readonly pool: Readonly<Record<string, string>>;
}

export function phpFpmAnsible(options: PhpFpmAnsibleOptions): AnsibleStep {
	const dir = 'waymark_php_dir.stdout | trim';
	const installed = `(${dir}) != ''`;
	const restart = 'Restart php-fpm';
	// The unit of the newest php-fpm in $n, as the running probe's first two lines name it.
	const unit = options.runningProbe.split('\n').slice(0, 2).join('\n');
	return {
		tasks: [
			{
				name: 'The newest php-fpm (php5 on old hosts, /etc/php/X.Y/fpm today)',
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', options.dirProbe]},
				register: 'waymark_php_dir',
				changed_when: false,
				check_mode: false,
			},
			{
				name: "php.ini: cgi.fix_pathinfo=0 and post_max_size = 200M, comments kept, changed lines marked (Waymark's INI edit)",
				waymark_ini: {path: `{{ ${dir} }}/php.ini`, section: 'PHP', values: {...options.ini}, backup: true},
				when: installed,
				notify: restart,
			},
			{
				name: 'pool.d/www.conf: the www pool on 127.0.0.1:9000, where the MaaS site sends PHP',
				waymark_ini: {path: `{{ ${dir} }}/pool.d/www.conf`, section: 'www', values: {...options.pool}, backup: true},
				when: installed,
				notify: restart,
			},
			{
				name: 'php-fpm -t accepts the configuration',
				'ansible.builtin.command': {
					argv: ['/bin/sh', '-c', `d=$(${options.dirProbe}); "$(command -v "php-fpm$(basename "$(dirname "$d")")" || command -v php5-fpm)" -t`],
				},
				when: installed,
				changed_when: false,
			},
			{
				name: 'Whether php-fpm runs',
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', options.runningProbe]},
				register: 'waymark_php_running',
				changed_when: false,
				when: installed,
			},
			{
				name: 'Start php-fpm (it is not running)',
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', `${unit}\nsystemctl enable "$n"\nsystemctl restart "$n"`]},
				when: [installed, platformFacts.systemd, "(waymark_php_running.stdout | trim).split(' ') | last != 'active'"],
				changed_when: true,
			},
		],
		// Through sh -c: the probe's pipe is part of the script, not a shell pipeline Ansible should set pipefail on.
		handlers: [
			{name: restart, 'ansible.builtin.command': {argv: ['/bin/sh', '-c', `${unit}\nsystemctl restart "$n"`]}, changed_when: true, when: platformFacts.systemd},
		],
		modules: {waymark_ini: iniModule},
		gaps: ['a configuration php-fpm -t rejects stays in place and the play stops before the restart (Waymark puts the old files back)'],
	};
}
