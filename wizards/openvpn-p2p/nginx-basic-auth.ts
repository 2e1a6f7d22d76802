// The guide's optional nginx in front of mist.io with HTTP basic auth: the site from a template, the htpasswd line
// hashed on the operator's machine (SHA-512 crypt, which nginx checks with crypt()), the default site out of the way.
import {nginxTestAndReload} from '../common/nginx-service.js';
import {answerFlag, answerText} from '../../source/engine/params.js';
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {sha512Crypt, verifySha512Crypt} from '../../source/keys/sha512-crypt.js';
import {defineStep} from '../../source/engine/step.js';
import type {Step, StepContext} from '../../source/engine/types.js';
import {commandAnswer, commandOutput} from '../../source/facts/command.js';
import {fileText, fileWithMode} from '../../source/facts/files.js';
import {commandSays} from '../../source/facts/state-word.js';
import {command, quote} from '../../source/targets/quote.js';
import {aptInstallScript} from '../common/apt-packages.js';
import {fileChange, header, noop, plan} from '../common/plan-helpers.js';

export const nginxPaths = {
	site: '/etc/nginx/sites-available/mistio.conf',
	enabled: '/etc/nginx/sites-enabled/mistio.conf',
	defaultSite: '/etc/nginx/sites-enabled/default',
	htpasswd: '/etc/nginx/.htpasswd',
} as const;

const template = loadAsset('nginx/mistio.conf');

/**
 * The htpasswd text with the user's line set. A line whose hash already matches the password is kept as it is,
 * so a re-run with the same password changes nothing (a new salt each time would rewrite the file).
 */
export function htpasswdText(before: string | null, user: string, password: string, salt?: string): string {
	const lines = (before ?? '').split('\n').filter(line => line !== '');
	const index = lines.findIndex(line => line.startsWith(`${user}:`));
	if (index !== -1 && verifySha512Crypt(password, lines[index]!.slice(user.length + 1))) {
		return before!;
	}

	const line = `${user}:${sha512Crypt(password, salt)}`;
	return `${[...(index === -1 ? lines : lines.map((each, at) => (at === index ? line : each))), ...(index === -1 ? [line] : [])].join('\n')}\n`;
}

export function renderSite(ctx: StepContext, wizard: string, id: string): string {
	return renderTemplate(template, {
		header: header(wizard, id),
		htpasswd: nginxPaths.htpasswd,
		staticDir: `${answerText(ctx.answers, 'mistioDir')}/src/mist/io/static`,
		backend: answerText(ctx.answers, 'mistioBackend'),
		socket: answerText(ctx.answers, 'mistioSocket'),
	});
}

export function nginxBasicAuthStep(options: {id: string; role: string; wizard: string}): Step {
	return defineStep({
		id: options.id,
		title: 'nginx with HTTP basic auth in front of mist.io',
		why:
			'The guide (optionally) swaps HAProxy for nginx to serve static files, links its site into sites-enabled, ' +
			'makes a password file with `htpasswd -c` from apache2-utils and starts nginx. Here the site comes from ' +
			'a template, the default site (also on port 80) is unlinked, the password is asked once, never stored, ' +
			'and only its salted SHA-512 crypt hash is written (0640, group www-data, which nginx checks with crypt(); ' +
			'no apache2-utils needed), and nginx is checked with `nginx -t` before it reloads. With HAProxy stopped, ' +
			'nginx goes straight to the two servers HAProxy fronted on :8000: the uwsgi app (:8001) and socket.io (:8081, for /socket).',
		role: options.role,
		params: ['nginx', 'mistioDir', 'mistioBackend', 'mistioSocket', 'authUser', 'authPassword'],
		facts: () => ({
			// null when nginx is not installed; undefined on an offline target, where nothing is installed or run.
			nginx: commandAnswer('command -v nginx'),
			site: fileText(nginxPaths.site),
			htpasswd: fileWithMode(nginxPaths.htpasswd),
			group: commandOutput(`stat -c %G ${nginxPaths.htpasswd} 2>/dev/null`),
			enabled: commandOutput(`readlink ${nginxPaths.enabled}`),
			default: commandSays(`[ -e ${nginxPaths.defaultSite} ] && echo present || echo absent`, ['present']),
			// Reload a running nginx, start a stopped one; with or without systemd.
			running: commandSays(
				'{ [ -d /run/systemd/system ] && systemctl is-active --quiet nginx; } || { [ -s /run/nginx.pid ] && kill ' +
					'-0 "$(cat /run/nginx.pid)" 2>/dev/null; } && echo running || echo stopped',
				['running'],
			),
		}),
		plan(ctx, facts) {
			if (!answerFlag(ctx.answers, 'nginx')) {
				return noop('nginx was not chosen: mist.io stays behind its own HAProxy.');
			}

			const live = facts.nginx !== undefined;
			const installed = live && facts.nginx !== null;
			const site = fileChange(nginxPaths.site, facts.site, renderSite(ctx, options.wizard, options.id), {mode: 0o644});
			const before = facts.htpasswd.text;
			const password = fileChange(
				nginxPaths.htpasswd,
				before,
				htpasswdText(before, answerText(ctx.answers, 'authUser'), answerText(ctx.answers, 'authPassword')),
				{mode: 0o640, secret: true},
				facts.htpasswd.mode,
			);
			const group = live && (password !== undefined || facts.group !== 'www-data');
			const link = facts.enabled !== nginxPaths.site;
			// Installing nginx brings its default site, which also claims the default server on port 80.
			const dropDefault = facts.default || (live && !installed);
			const changed = Boolean(site || password || link || dropDefault);
			const actions = plan([
				live && !installed && {kind: 'command', title: 'apt-get install nginx', script: aptInstallScript(['nginx'])},
				site,
				password,
				group && {
					kind: 'command',
					title: `Let nginx (group www-data) read ${nginxPaths.htpasswd}`,
					script: `chgrp www-data ${nginxPaths.htpasswd} && chmod 0640 ${nginxPaths.htpasswd}`,
				},
				link && {
					kind: 'command',
					title: "Enable the site (the guide's ln -s into sites-enabled)",
					script: command('ln', '-sfn', nginxPaths.site, nginxPaths.enabled),
				},
				dropDefault && {kind: 'command', title: 'Unlink the default site, which also listens on port 80', script: `rm -f ${quote(nginxPaths.defaultSite)}`},
				live && (changed || !facts.running) && {kind: 'command', title: 'Check the config (nginx -t), then reload or start nginx', script: nginxTestAndReload},
			]);
			return actions.actions.length === 0 ? noop(`nginx serves mist.io with basic auth for ${answerText(ctx.answers, 'authUser')}.`) : actions;
		},
	});
}
