// The guide's uwsgi.it checkout: services and emperor scripts into /etc/uwsgi, a systemd unit instead of upstart.
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerText} from '../../source/engine/params.js';
import {quote} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {commandOutput} from '../../source/facts/command.js';
import {dirExists, fileText} from '../../source/facts/files.js';
import {systemdProbe} from '../../source/facts/platform.js';
import {unitEnabled} from '../../source/facts/systemd.js';
import {copyTask, platformFacts} from '../common/ansible-tasks.js';
import {fileChange, noop, plan} from '../common/plan-helpers.js';

export const emperorUnitPath = '/etc/systemd/system/uwsgi-emperor.service';
const unitTemplate = loadAsset('systemd/uwsgi-emperor.service');
const scripts = ['collector.pl', 'configurator.pl', 'dominator.pl'] as const;

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
		tuntapIfconfigRewrite(),
	].join('\n');
}

/**
 * uwsgi.it's services/tuntap.ini brings its gateway up with `ifconfig DEV ADDR netmask 255.0.0.0 up`, from net-tools,
 * which no current image installs: the hook would fail and the tuntap router with it. The same thing with iproute2,
 * which every image has: `ip addr replace ADDR/8 dev DEV && ip link set DEV up` (uWSGI runs exec hooks with sh).
 */
export function tuntapIfconfigRewrite(path = '/etc/uwsgi/services/tuntap.ini'): string {
	const file = quote(path);
	return `[ -f ${file} ] && sed -i 's|^hook-as-root = exec:ifconfig \\([^ ]*\\) \\([0-9.]*\\) netmask 255\\.0\\.0\\.0 up$|hook-as-root = exec:ip addr replace \\2/8 dev \\1 \\&\\& ip link set \\1 up|' ${file}; true`;
}

/** The copied tree (each script under its own name; only whether it is there counts), the unit, and what systemd says. */
function treeFactDefs() {
	const copied = {
		services: dirExists('/etc/uwsgi/services'),
		...(Object.fromEntries(scripts.map(name => [name, fileText(`/etc/uwsgi/${name}`)])) as Record<(typeof scripts)[number], FactDef<string | null>>),
	};
	return {
		...copied,
		unit: fileText(emperorUnitPath),
		systemd: commandOutput(systemdProbe),
		enabled: unitEnabled('uwsgi-emperor.service'),
		binary: commandOutput('[ -x /opt/unbit/uwsgi/uwsgi ] && echo built || echo missing'),
	};
}

export function uwsgiItTreeStep(options: {role: string; sourceParam: string}): Step {
	return defineStep({
		id: 'uwsgi-it-tree',
		title: 'uwsgi.it services and emperor scripts',
		why: 'The guide clones uwsgi.it, copies its services and the collector, configurator and dominator scripts to /etc/uwsgi, and installs emperor.conf into /etc/init. Upstart is gone from every current distribution, so the emperor gets a systemd unit instead (enabled, started once uWSGI itself is built into /opt/unbit/uwsgi). The copied tuntap.ini brings its gateway up with ifconfig, from net-tools, which no current image has: that hook is rewritten to the same `ip addr`/`ip link` of iproute2.',
		role: options.role,
		params: [options.sourceParam],
		facts: treeFactDefs,
		plan(ctx, facts) {
			const source = answerText(ctx.answers, options.sourceParam);
			if (source === '') {
				return noop('No uwsgi.it source given: the tree is left alone.');
			}

			const copied = facts.services && scripts.every(name => facts[name] !== null);
			const systemd = facts.systemd === 'yes';
			const unit = fileChange(emperorUnitPath, facts.unit, emperorUnit(), {mode: 0o644});
			const enabled = facts.enabled === 'enabled';
			// Enabling a unit whose program does not exist yet would restart-loop at every boot.
			const built = facts.binary === 'built';
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
		ansible(ctx) {
			const source = answerText(ctx.answers, options.sourceParam);
			if (source === '') {
				return {tasks: []};
			}

			const copied = ['[ -d /etc/uwsgi/services ]', ...scripts.map(name => `[ -e /etc/uwsgi/${name} ]`)].join(' && ');
			return {
				tasks: [
					{
						name: 'Whether the services and scripts are copied, and uWSGI built',
						'ansible.builtin.command': {
							argv: ['/bin/sh', '-c', `if ${copied}; then echo copied; else echo missing; fi; [ -x /opt/unbit/uwsgi/uwsgi ] && echo built || echo unbuilt`],
						},
						register: 'waymark_uwsgi_tree',
						changed_when: false,
						check_mode: false,
					},
					{
						name: `Copy services and scripts from ${source}`,
						// As the step runs it; `set -e` so that a failed clone fails the task.
						'ansible.builtin.command': {argv: ['/bin/sh', '-c', `set -e\n${copyTreeScript(source)}`]},
						changed_when: true,
						when: "'missing' in waymark_uwsgi_tree.stdout_lines",
					},
					copyTask("The uwsgi-emperor unit (systemd, instead of the guide's upstart job)", {
						stepId: 'uwsgi-it-tree',
						name: 'uwsgi-emperor.service',
						path: emperorUnitPath,
						mode: 0o644,
					}),
					{
						// Enabling a unit whose program does not exist yet would restart-loop at every boot.
						name: 'Enable the uwsgi-emperor unit once uWSGI is built',
						'ansible.builtin.systemd_service': {name: 'uwsgi-emperor.service', enabled: true, daemon_reload: true},
						when: [platformFacts.systemd, "'built' in waymark_uwsgi_tree.stdout_lines"],
					},
				],
				files: {'uwsgi-emperor.service': emperorUnit()},
			};
		},
	});
}
