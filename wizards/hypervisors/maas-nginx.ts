// The guide's nginx site for the MaaS (cdpweather) with a self-signed certificate made on the operator's machine.
import {nginxTestAndReload} from '../common/nginx-service.js';
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerText} from '../../source/engine/params.js';
import {command} from '../../source/targets/quote.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, SecretSpec, Step, StepContext} from '../../source/engine/types.js';
import {commandOutput, commandResult} from '../../source/facts/command.js';
import {fileText, fileWithMode} from '../../source/facts/files.js';
import {certificateExpiryCheck} from '../common/expiry.js';
import {copyTask, shellHandler} from '../common/ansible-tasks.js';
import {type KeptTls, keptTlsPath, keptTlsSecret, keptTlsTasks} from '../common/kept-tls.js';
import {fileChange, header, noop, plan} from '../common/plan-helpers.js';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';

export const maasTlsSecret = 'maas-tls';
export const maasNginxPaths = {
	site: '/etc/nginx/sites-available/cdpweather',
	enabled: '/etc/nginx/sites-enabled/cdpweather',
	defaultSite: '/etc/nginx/sites-enabled/default',
	certificate: '/etc/nginx/ssl/nginx.crt',
	key: '/etc/nginx/ssl/nginx.key',
} as const;

const template = loadAsset('nginx/cdpweather.conf');

const keptMaasTls: KeptTls = {
	name: maasTlsSecret,
	title: 'TLS key and self-signed certificate for the MaaS site (kept in your vault)',
	wizard: 'hypervisors',
	nameParam: 'maasHostname',
};

/** Made once per MaaS name and kept in the vault, so every run and the Ansible export hand out the same pair. */
export const maasTls: SecretSpec = keptTlsSecret(keptMaasTls);

export function maasSiteText(ctx: StepContext, wizard: string): string {
	return renderTemplate(template, {
		header: header(wizard, 'maas-nginx'),
		port: answerText(ctx.answers, 'httpsPort'),
		certificate: maasNginxPaths.certificate,
		key: maasNginxPaths.key,
	});
}

/** Whether nginx runs: systemd's word where it is pid 1, else the pid in /run/nginx.pid; always one word, exit 0. */
export const nginxRunningProbe = [
	'if [ -d /run/systemd/system ]; then s=$(systemctl is-active nginx 2>/dev/null); echo "${s:-unknown}"',
	'elif [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then echo active',
	'else echo inactive; fi',
].join('\n');

export function maasNginxStep(options: {wizard: string; role: string}): Step {
	return defineStep({
		id: 'maas-nginx',
		title: 'nginx TLS site for the MaaS',
		why:
			'The guide copies the default site to cdpweather (TLS, PHP through php-fpm on 127.0.0.1:9000), links it into sites-enabled, deletes ' +
			'the default site and makes the certificate with `openssl req -x509 -nodes -days 365 -newkey rsa:2048`. Here the site comes from a ' +
			'template, the key and self-signed certificate are made on your machine (key 0600, never shown; the fingerprint is), existing ones ' +
			'are kept, and `nginx -t` runs before nginx reloads. The guide listens on 443 but its hypervisors reach the MaaS on 4443, so one ' +
			'port (httpsPort) serves both.',
		role: options.role,
		params: ['httpsPort', 'maasHostname'],
		facts: () => ({
			// Not programPath: offline (undefined) is told apart from not installed (a failed command -v).
			nginx: commandResult('command -v nginx'),
			site: fileText(maasNginxPaths.site),
			key: fileWithMode(maasNginxPaths.key),
			certificate: fileText(maasNginxPaths.certificate),
			enabled: commandOutput(`readlink ${maasNginxPaths.enabled}`),
			default: commandOutput(`[ -e ${maasNginxPaths.defaultSite} ] && echo present || echo absent`),
			running: commandOutput(nginxRunningProbe),
		}),
		plan(ctx, facts) {
			const live = facts.nginx !== undefined;
			const pem = splitKeyAndCertificate(ctx.secrets.get(maasTlsSecret) ?? '');
			const keepTls = facts.key.text !== null && facts.certificate !== null;
			const site = fileChange(maasNginxPaths.site, facts.site, maasSiteText(ctx, options.wizard), {mode: 0o644});
			const key = keepTls ? undefined : fileChange(maasNginxPaths.key, facts.key.text, pem.key, {mode: 0o600, secret: true}, facts.key.mode);
			const certificate = keepTls ? undefined : fileChange(maasNginxPaths.certificate, facts.certificate, pem.certificate, {mode: 0o644});
			const link = live && facts.enabled !== maasNginxPaths.site;
			const dropDefault = facts.default === 'present';
			const installed = facts.nginx?.exitCode === 0;
			const changed = Boolean(site || key || certificate || link || dropDefault);
			// A site nginx does not serve is no site: a stopped nginx is started (after nginx -t) even when the files are right.
			const stopped = installed && facts.running !== 'active';
			const notes = [keepTls ? `${maasNginxPaths.certificate} exists; it is kept.` : `Self-signed certificate for ${answerText(ctx.answers, 'maasHostname')}.`];
			if (live && !installed) {
				notes.push('nginx is not installed here: the site waits for it (the MaaS packages step installs it).');
			}

			return changed
				? plan(
						[
							site,
							key,
							certificate,
							link && {
								kind: 'command',
								title: "Enable the site (the guide's ln -s into sites-enabled)",
								script: command('ln', '-sfn', maasNginxPaths.site, maasNginxPaths.enabled),
							},
							dropDefault && {
								kind: 'command',
								title: 'Disable the default site (the guide deletes it)',
								script: command('rm', '-f', maasNginxPaths.defaultSite),
							},
							installed && {kind: 'command', title: 'Check the config (nginx -t), then reload or start nginx', script: nginxTestAndReload},
						],
						notes,
					)
				: stopped
					? plan([{kind: 'command', title: 'Start nginx (it is not running; nginx -t first)', script: nginxTestAndReload}], notes)
					: noop(`nginx serves the MaaS on ${answerText(ctx.answers, 'httpsPort')} with TLS.`, ...notes);
		},
		ansible(ctx) {
			const reload = 'Check the config (nginx -t), then reload or start nginx';
			const notify = {notify: reload};
			return {
				tasks: [
					{
						...copyTask('The MaaS site', {stepId: 'maas-nginx', name: 'cdpweather', path: maasNginxPaths.site, mode: 0o644}),
						...notify,
					},
					{name: 'The directory of the key and certificate', 'ansible.builtin.file': {path: '/etc/nginx/ssl', state: 'directory', mode: '0755'}},
					...keptTlsTasks(keptTlsPath(ctx.answers, keptMaasTls), maasNginxPaths).map(task => ({...task, ...notify})),
					{
						name: "Enable the site (the guide's ln -s into sites-enabled)",
						'ansible.builtin.file': {src: maasNginxPaths.site, dest: maasNginxPaths.enabled, state: 'link', force: true},
						...notify,
					},
					{name: 'Disable the default site (the guide deletes it)', 'ansible.builtin.file': {path: maasNginxPaths.defaultSite, state: 'absent'}, ...notify},
					{name: 'Whether nginx runs', 'ansible.builtin.command': {argv: ['/bin/sh', '-c', nginxRunningProbe]}, register: 'waymark_nginx', changed_when: false},
					{
						name: 'Start nginx (it is not running; nginx -t first)',
						'ansible.builtin.command': {argv: ['/bin/sh', '-c', nginxTestAndReload]},
						when: "waymark_nginx.stdout | trim != 'active'",
						changed_when: true,
					},
				],
				handlers: [shellHandler(reload, nginxTestAndReload)],
				files: {cdpweather: maasSiteText(ctx, options.wizard)},
			};
		},
		verify(ctx, facts) {
			const certificate = facts.certificate;
			const title = `MaaS certificate for ${answerText(ctx.answers, 'maasHostname')}`;
			const checks: Check[] = certificate === null ? [] : [certificateExpiryCheck('maas-tls-expiry', title, certificate)];
			if (facts.nginx?.exitCode === 0) {
				const state = facts.running ?? 'unknown';
				checks.push({
					id: 'maas-nginx-running',
					title: 'nginx runs',
					status: state === 'active' ? 'pass' : 'fail',
					evidence: `nginx: ${state}`,
					reason:
						state === 'active' ? 'The MaaS site is served.' : 'Nothing serves the MaaS site, so every tunnel leads nowhere: `journalctl -u nginx` says why.',
				});
			}

			return checks;
		},
	});
}
