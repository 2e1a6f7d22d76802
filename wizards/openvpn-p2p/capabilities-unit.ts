// The guide's `setcap cap_net_admin,cap_net_raw=eip` on uwsgi, celery, cloudpy and python, replaced by a systemd
// unit whose processes alone get those capabilities (PITFALLS §9); the exact command only with an explicit override.
import {answerFlag, answerText} from '../../source/engine/params.js';
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {commandAnswer, commandOutput} from '../../source/facts/command.js';
import {dirExists, fileText} from '../../source/facts/files.js';
import {quote} from '../../source/targets/quote.js';
import {fileChange, header, noop, plan} from '../common/plan-helpers.js';

export const guideExecutables = ['uwsgi', 'celery', 'cloudpy', 'python'];
export const mistioUnit = '/etc/systemd/system/mistio.service';
const wanted = 'cap_net_admin,cap_net_raw=eip';
const template = loadAsset('systemd/mistio.service');

/**
 * Each of these files that exists, with the capabilities getcap shows on it ('' for none); empty without getcap. An
 * older libcap (Debian 10, Ubuntu 20.04) prints `= cap_net_admin,cap_net_raw+eip` for what newer ones print as
 * `cap_net_admin,cap_net_raw=eip`: read as the same, or the guide's override would set them again on every run.
 */
function fileCapabilities(files: readonly string[]): FactDef<ReadonlyMap<string, string>> {
	const def = commandOutput(
		`command -v getcap >/dev/null && for f in ${files.map(quote).join(' ')}; do [ -e "$f" ] && echo "$f $(getcap "$f" | awk '{print $NF}')"; done; true`,
	);
	return {
		request: def.request,
		parse: fact =>
			new Map(
				(def.parse(fact) ?? '')
					.split('\n')
					.filter(Boolean)
					.map(line => [line.split(' ')[0]!, (line.split(' ')[1] ?? '').replace(/^([\w,]+)\+([eip]+)$/, '$1=$2')] as const),
			),
	};
}

export function capabilitiesStep(options: {id: string; role: string; wizard: string}): Step {
	const binaries = (dir: string) => guideExecutables.map(name => `${dir}/bin/${name}`);
	return defineStep({
		id: options.id,
		title: 'Network capabilities for mist.io',
		why:
			'The guide grants cap_net_admin,cap_net_raw=eip to uwsgi, celery, cloudpy and python in mist.io/bin with ' +
			'setcap. On python that gives network-admin rights to every script any local user runs, setcap on a symlink ' +
			'fails, and a package upgrade silently drops it (PITFALLS §9). Here mist.io runs under a systemd unit ' +
			'with AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW and a matching bounding set, so only its processes ' +
			'get them, and capabilities a previous setcap left on those files are removed. setcapOverride runs the ' +
			"guide's exact command instead.",
		role: options.role,
		params: ['mistioDir', 'mistioUser', 'setcapOverride'],
		facts: ctx => {
			const dir = answerText(ctx.answers, 'mistioDir');
			return {
				bin: dirExists(`${dir}/bin`),
				unit: fileText(mistioUnit),
				getcap: fileCapabilities(binaries(dir)),
				// `no-systemd`, or what systemctl says; undefined on an offline target, where nothing is enabled.
				enabled: commandAnswer('if [ -d /run/systemd/system ]; then systemctl is-enabled mistio.service 2>/dev/null; else echo no-systemd; fi; true'),
				// The running service's main process and the capabilities it really has (CapEff, hex), as getcap showed
				// for the guide's files: `inactive` when it does not run.
				running: commandAnswer(
					'[ -d /run/systemd/system ] || { echo no-systemd; exit 0; }; ' +
						'pid=$(systemctl show -p MainPID --value mistio.service 2>/dev/null); ' +
						'if [ -n "$pid" ] && [ "$pid" != 0 ] && [ -r "/proc/$pid/status" ]; then echo "$pid $(awk \'/^CapEff/{print $2}\' "/proc/$pid/status")"; else echo inactive; fi',
				),
			};
		},
		plan(ctx, facts) {
			const dir = answerText(ctx.answers, 'mistioDir');
			if (!facts.bin) {
				return noop(`No mist.io at ${dir} (no bin/ folder): nothing to grant.`);
			}

			const present = facts.getcap;
			if (answerFlag(ctx.answers, 'setcapOverride')) {
				const missing = [...present].filter(([, caps]) => caps !== wanted).map(([file]) => file);
				return missing.length === 0
					? noop("The guide's capabilities are set (setcapOverride).")
					: plan(
							missing.map(
								file =>
									({
										kind: 'command',
										title: `setcap ${wanted} ${file} (the guide, by override)`,
										script: `setcap ${wanted} "$(readlink -f ${quote(file)})"`,
									}) as const,
							),
							['setcapOverride: every local user who can run these binaries gets network-admin rights, and upgrades drop them silently.'],
						);
			}

			const text = renderTemplate(template, {header: header(options.wizard, options.id), user: answerText(ctx.answers, 'mistioUser'), dir});
			const unit = fileChange(mistioUnit, facts.unit, text, {mode: 0o644});
			const granted = [...present].filter(([, caps]) => caps !== '').map(([file]) => file);
			const enabled = facts.enabled;
			const systemd = enabled !== undefined && enabled !== 'no-systemd';
			const enable = systemd && (unit !== undefined || enabled !== 'enabled');
			const running = facts.running;
			const actions = plan([
				unit,
				// setcap refuses a symlink (a virtualenv's bin/python is one): act on the file it points to.
				...granted.map(
					file => ({kind: 'command', title: `Remove file capabilities from ${file}`, script: `setcap -r "$(readlink -f ${quote(file)})"`}) as const,
				),
				enable && {kind: 'command', title: 'Enable the mist.io unit (systemd)', script: 'systemctl daemon-reload && systemctl enable mistio.service'},
				// Capabilities are granted when a process starts: a new unit, or one not running, is (re)started.
				systemd &&
					(unit !== undefined || running === 'inactive') && {
						kind: 'command',
						title: 'Start mist.io under the unit (restart it if it ran before the change)',
						script: 'systemctl daemon-reload && systemctl restart mistio.service',
					},
			]);
			return actions.actions.length === 0 ? noop('mist.io runs under mistio.service with CAP_NET_ADMIN and CAP_NET_RAW only.') : actions;
		},
		verify(ctx, facts): Check[] {
			const running = facts.running;
			if (!facts.bin || answerFlag(ctx.answers, 'setcapOverride') || running === undefined || running === null || running === 'no-systemd') {
				return [];
			}

			const [pid, hex = ''] = running.split(' ');
			const has = running !== 'inactive' && hasNetworkCapabilities(hex);
			return [
				{
					id: 'mistio-capabilities',
					title: 'mist.io runs with CAP_NET_ADMIN and CAP_NET_RAW',
					status: has ? 'pass' : 'fail',
					evidence: running === 'inactive' ? 'mistio.service is not running' : `pid ${pid} CapEff ${hex}`,
					reason: "The guide's getcap, asked of the running process: without both, mist.io cannot open the tunnel's routes and raw sockets.",
				},
			];
		},
	});
}

/** CAP_NET_ADMIN is bit 12 and CAP_NET_RAW bit 13 of a /proc status capability mask. */
export function hasNetworkCapabilities(hex: string): boolean {
	if (!/^[0-9a-f]+$/i.test(hex)) {
		return false;
	}

	const mask = BigInt(`0x${hex}`);
	return (mask & 0x3000n) === 0x3000n;
}
