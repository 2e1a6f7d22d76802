// The guide's uwsgi.it checkout: services and emperor scripts into /etc/uwsgi, a systemd unit instead of upstart.
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import type {Step} from '../../source/engine/types.js';
import {fact, fileChange, fileText, noop, output, plan} from '../common/plan-helpers.js';

export const emperorUnitPath = '/etc/systemd/system/uwsgi-emperor.service';
const unitTemplate = loadAsset('systemd/uwsgi-emperor.service');
const scripts = ['collector.pl', 'configurator.pl', 'dominator.pl'];

export function emperorUnit(): string {
	return renderTemplate(unitTemplate, {uwsgiBinary: '/opt/unbit/uwsgi/uwsgi', emperorIni: '/etc/uwsgi/emperor.ini'});
}

export function copyTreeScript(source: string): string {
	return [
		'd=$(mktemp -d)',
		`trap 'rm -rf "$d"' EXIT`,
		`git clone --depth 1 -- ${quote(source)} "$d/src"`,
		'cp -R "$d/src/services" /etc/uwsgi/',
		`cp ${scripts.map(name => `"$d/src/${name}"`).join(' ')} /etc/uwsgi/`,
		// The unit starts the emperor with emperor.ini; keep an operator's own copy.
		'[ -e /etc/uwsgi/emperor.ini ] || cp "$d/src/emperor.ini" /etc/uwsgi/',
	].join('\n');
}

export function uwsgiItTreeStep(options: {role: string; sourceParam: string}): Step {
	return {
		id: 'uwsgi-it-tree',
		title: 'uwsgi.it services and emperor scripts',
		why: 'The guide clones uwsgi.it, copies its services and the collector, configurator and dominator scripts to /etc/uwsgi, and installs emperor.conf into /etc/init. Upstart is gone from every current distribution, so the emperor gets a systemd unit instead (enabled, started once uWSGI itself is built into /opt/unbit/uwsgi).',
		role: options.role,
		params: [options.sourceParam],
		facts: () => [
			{kind: 'dir', key: 'services', path: '/etc/uwsgi/services'},
			...scripts.map(name => ({kind: 'file', key: name, path: `/etc/uwsgi/${name}`}) as const),
			{kind: 'file', key: 'unit', path: emperorUnitPath},
			{kind: 'command', key: 'systemd', command: '[ -d /run/systemd/system ] && echo yes || echo no'},
			{kind: 'command', key: 'enabled', command: 'systemctl is-enabled uwsgi-emperor.service 2>/dev/null'},
			{kind: 'command', key: 'binary', command: '[ -x /opt/unbit/uwsgi/uwsgi ] && echo built || echo missing'},
		],
		plan(ctx, facts) {
			const source = answerText(ctx.answers, options.sourceParam);
			if (source === '') {
				return noop('No uwsgi.it source given: the tree is left alone.');
			}

			const copied = fact(facts, 'services').exists && scripts.every(name => fact(facts, name).exists);
			const systemd = output(facts, 'systemd') === 'yes';
			const unit = fileChange(emperorUnitPath, fileText(facts, 'unit'), emperorUnit(), {mode: 0o644});
			const enabled = output(facts, 'enabled') === 'enabled';
			// Enabling a unit whose program does not exist yet would restart-loop at every boot.
			const built = output(facts, 'binary') === 'built';
			return plan(
				[
					!copied && {kind: 'command', title: `Copy services and scripts from ${source}`, script: copyTreeScript(source)},
					unit,
					systemd &&
						built &&
						(unit || !enabled) && {
							kind: 'command',
							title: 'Enable the uwsgi-emperor unit',
							script: 'systemctl daemon-reload && systemctl enable uwsgi-emperor.service',
						},
				],
				[
					...(systemd ? [] : ['No systemd here: the unit file is written for when the host boots with systemd.']),
					...(built
						? []
						: [
								'uWSGI is not built into /opt/unbit/uwsgi yet (the guide leaves that section empty): the unit is written but not enabled; run the wizard again once it is.',
							]),
				],
			);
		},
	};
}
