// The guide's `setcap cap_net_admin,cap_net_raw=eip` on uwsgi, celery, cloudpy and python, replaced by a systemd
// unit whose processes alone get those capabilities (PITFALLS §9); the exact command only with an explicit override.
import {answerFlag, answerText} from '../../source/engine/params.js';
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import type {Step} from '../../source/engine/types.js';
import {quote} from '../../source/targets/quote.js';
import {fact, fileChange, fileText, header, noop, output, plan} from '../common/plan-helpers.js';

export const guideExecutables = ['uwsgi', 'celery', 'cloudpy', 'python'];
export const mistioUnit = '/etc/systemd/system/mistio.service';
const wanted = 'cap_net_admin,cap_net_raw=eip';
const template = loadAsset('systemd/mistio.service');

export function capabilitiesStep(options: {id: string; role: string; wizard: string}): Step {
	const binaries = (dir: string) => guideExecutables.map(name => `${dir}/bin/${name}`);
	return {
		id: options.id,
		title: 'Network capabilities for mist.io',
		why: "The guide grants cap_net_admin,cap_net_raw=eip to uwsgi, celery, cloudpy and python in mist.io/bin with setcap. On python that gives network-admin rights to every script any local user runs, setcap on a symlink fails, and a package upgrade silently drops it (PITFALLS §9). Here mist.io runs under a systemd unit with AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW and a matching bounding set, so only its processes get them, and capabilities a previous setcap left on those files are removed. setcapOverride runs the guide's exact command instead.",
		role: options.role,
		params: ['mistioDir', 'mistioUser', 'setcapOverride'],
		facts: ctx => {
			const dir = answerText(ctx.answers, 'mistioDir');
			return [
				{kind: 'dir', key: 'bin', path: `${dir}/bin`},
				{kind: 'file', key: 'unit', path: mistioUnit},
				{
					kind: 'command',
					key: 'getcap',
					command: `command -v getcap >/dev/null && for f in ${binaries(dir).map(quote).join(' ')}; do [ -e "$f" ] && echo "$f $(getcap "$f" | awk '{print $NF}')"; done; true`,
				},
				{
					kind: 'command',
					key: 'enabled',
					command: 'if [ -d /run/systemd/system ]; then systemctl is-enabled mistio.service 2>/dev/null; else echo no-systemd; fi; true',
				},
			];
		},
		plan(ctx, facts) {
			const dir = answerText(ctx.answers, 'mistioDir');
			if (!fact(facts, 'bin').exists) {
				return noop(`No mist.io at ${dir} (no bin/ folder): nothing to grant.`);
			}

			const present = new Map(
				(output(facts, 'getcap') ?? '')
					.split('\n')
					.filter(Boolean)
					.map(line => [line.split(' ')[0]!, line.split(' ')[1] ?? ''] as const),
			);
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
			const unit = fileChange(mistioUnit, fileText(facts, 'unit'), text, {mode: 0o644});
			const granted = [...present].filter(([, caps]) => caps !== '').map(([file]) => file);
			const live = !fact(facts, 'enabled').unavailable;
			const enabled = output(facts, 'enabled');
			const enable = live && enabled !== 'no-systemd' && (unit !== undefined || enabled !== 'enabled');
			const actions = plan([
				unit,
				// setcap refuses a symlink (a virtualenv's bin/python is one): act on the file it points to.
				...granted.map(
					file => ({kind: 'command', title: `Remove file capabilities from ${file}`, script: `setcap -r "$(readlink -f ${quote(file)})"`}) as const,
				),
				enable && {kind: 'command', title: 'Enable the mist.io unit (systemd)', script: 'systemctl daemon-reload && systemctl enable mistio.service'},
			]);
			return actions.actions.length === 0 ? noop('mist.io runs under mistio.service with CAP_NET_ADMIN and CAP_NET_RAW only.') : actions;
		},
	};
}
