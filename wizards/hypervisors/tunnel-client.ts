// The MaaS side of the guide's tunnels: per hypervisor a Host block with RemoteForward and keep-alives, and an autossh
// unit per hypervisor run by a dedicated user (PITFALLS §10) instead of `autossh -f` from an @reboot cron.
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerText} from '../../source/engine/params.js';
import {command} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import {join} from 'node:path';
import type {AnsibleStep, Check, Step, StepContext} from '../../source/engine/types.js';
import {aptTask, copyTask, platformFacts, shellHandler, vaultLookup} from '../common/ansible-tasks.js';
import {vaultDir} from '../common/operator-vault.js';
import {accountTasks, passwdField, sshDirTask} from './accounts-ansible.js';
import {homeFile, homeOwners, passwdEntry} from '../../source/facts/accounts.js';
import {commandOutput, programPath} from '../../source/facts/command.js';
import {fileText} from '../../source/facts/files.js';
import {systemdProbe} from '../../source/facts/platform.js';
import {chownAction, createUserAction, ownedBy} from './accounts.js';
import {aptInstallScript} from '../common/apt-packages.js';
import {fileChange, header, noop, plan, untilLive, waitsFor} from '../common/plan-helpers.js';
import {remoteForward, tunnelAlias, tunnelPeers, tunnelUnit} from './tunnel-peers.js';

export const tunnelUnitPath = '/etc/systemd/system/autossh-tunnel@.service';
export const tunnelKeySecret = 'hypervisors-tunnel-key';
const template = loadAsset('systemd/autossh-tunnel@.service');
const owned = ['.ssh', '.ssh/config', '.ssh/id_tunnel'];

/** The exact command the unit runs for one Host alias: autossh without its monitor port, ssh with no shell. */
export function tunnelArgs(alias: string): string[] {
	return [
		'/usr/bin/autossh',
		'-M',
		'0',
		'-N',
		'-o',
		'ServerAliveInterval=30',
		'-o',
		'ServerAliveCountMax=3',
		'-o',
		'ExitOnForwardFailure=yes',
		'-o',
		'BatchMode=yes',
		alias,
	];
}

export function tunnelUnitText(ctx: StepContext, wizard: string): string {
	return renderTemplate(template, {
		header: header(wizard, 'tunnel-client'),
		user: answerText(ctx.answers, 'tunnelUser'),
		relayPort: answerText(ctx.answers, 'relayPort'),
		command: command(...tunnelArgs(tunnelAlias('%i'))),
	});
}

/** Seconds a unit's ssh must have been connected before its tunnel counts as up: a refused key or forward ends it sooner. */
export const tunnelSettleSeconds = 3;

/**
 * One line per unit: `UNIT STATE up|down`. autossh keeps its unit active while its ssh fails and retries with a
 * growing pause (minutes, after a hypervisor refused the key for a while), so `active` alone says nothing about
 * the tunnel. Up means an ssh of the unit's cgroup has held an ESTABLISHED TCP connection for tunnelSettleSeconds:
 * with ExitOnForwardFailure and BatchMode it exits at once when the key or the remote forward is refused. Read
 * from /proc and /sys only (a minimal host has no ps or ss). While a unit is active but not up yet (its ssh is
 * connecting, or was just restarted), it reads again, once a second for at most 15 seconds.
 */
export function tunnelStatesProbe(units: readonly string[]): string {
	return String.raw`connected() {
	cg=$(systemctl show -p ControlGroup --value "$1" 2>/dev/null)
	[ -n "$cg" ] || return 1
	now=$(cut -d' ' -f1 /proc/uptime); hz=$(getconf CLK_TCK)
	for procs in "/sys/fs/cgroup$cg/cgroup.procs" "/sys/fs/cgroup/systemd$cg/cgroup.procs"; do
		[ -r "$procs" ] || continue
		for p in $(cat "$procs"); do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = ssh ] || continue
			started=$(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f20)
			awk -v n="$now" -v s="$started" -v h="$hz" 'BEGIN { exit !(n - s / h >= ${tunnelSettleSeconds}) }' || continue
			for fd in /proc/$p/fd/*; do
				link=$(readlink "$fd" 2>/dev/null) || continue
				case $link in socket:*) ;; *) continue ;; esac
				inode=$(printf '%s' "$link" | tr -dc 0-9)
				awk -v i="$inode" '$4 == "01" && $10 == i { found = 1 } END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
			done
		done
	done
	return 1
}
tries=0
while :; do
	states=$(for u in ${command(...units)}; do
		s=$(systemctl is-active "$u" 2>/dev/null) || [ -n "$s" ] || s=unknown
		t=down; [ "$s" != active ] || ! connected "$u" || t=up
		echo "$u $s $t"
	done)
	case $states in *" active down"*) [ "$tries" -lt 15 ] && { tries=$((tries + 1)); sleep 1; continue; } ;; esac
	break
done
printf '%s\n' "$states"`;
}

/** What systemd says of a unit, and whether its ssh is connected. */
export interface TunnelState {
	readonly state: string;
	readonly up: boolean;
}

/** The probe's lines by unit: what systemd says, and whether its ssh is connected. */
export function tunnelStates(text: string | undefined): Map<string, TunnelState> {
	return new Map(
		(text ?? '')
			.split('\n')
			.filter(Boolean)
			.map(line => {
				const [unit = '', state = 'unknown', tunnel = 'down'] = line.split(' ');
				return [unit, {state, up: state === 'active' && tunnel === 'up'}] as const;
			}),
	);
}

/** The tunnels' states by unit, read by tunnelStatesProbe; none when it failed or could not run. */
export function tunnelStatesFact(units: readonly string[]): FactDef<ReadonlyMap<string, TunnelState>> {
	const probe = commandOutput(tunnelStatesProbe(units));
	return {request: probe.request, parse: fact => tunnelStates(probe.parse(fact))};
}

/** ~tunnel/.ssh/config: the guide's Host block per hypervisor, plus what a unattended tunnel needs. */
export function tunnelSshConfig(ctx: StepContext, wizard: string, home: string): string {
	const forward = remoteForward(ctx);
	const blocks = tunnelPeers(ctx).map(peer =>
		[
			`Host ${tunnelAlias(peer.name)}`,
			`\tHostName ${peer.host}`,
			`\tPort ${peer.port}`,
			`\tUser ${answerText(ctx.answers, 'tunnelUser')}`,
			`\tIdentityFile ${home}/.ssh/id_tunnel`,
			'\tIdentitiesOnly yes',
			`\tRemoteForward ${forward.listen} ${forward.to}`,
			'\tServerAliveInterval 30',
			'\tServerAliveCountMax 3',
			'\tExitOnForwardFailure yes',
			'\tBatchMode yes',
			'\tStrictHostKeyChecking accept-new',
		].join('\n'),
	);
	return `${header(wizard, 'tunnel-client')}\n${blocks.join('\n\n')}\n`;
}

function tunnelClientAnsible(ctx: StepContext, wizard: string): AnsibleStep {
	const user = answerText(ctx.answers, 'tunnelUser');
	const peers = tunnelPeers(ctx);
	if (peers.length === 0) {
		throw new Error('no hypervisors are named, so there is no tunnel to make; export with --inventory (a [hypervisor] group) or --target hypervisor=ssh:HOST');
	}

	const units = peers.map(peer => tunnelUnit(peer.name));
	const restart = 'Reload systemd, then enable and restart every tunnel';
	const home = passwdField(user, 4);
	const owned = {owner: user, group: passwdField(user, 2)};
	// The key is the one the vault keeps (the tunnel secret's file); read on the controller, never in the project.
	const key = join(vaultDir(ctx.answers, wizard, 'tunnel'), 'id_ed25519');
	const idle = "waymark_tunnels.stdout_lines | reject('search', ' active up$') | map('split') | map('first') | list";
	return {
		tasks: [
			aptTask('autossh, which the units run', ['autossh']),
			...accountTasks(user, 'service'),
			sshDirTask(user),
			{
				name: `~${user}/.ssh/config: a Host block per hypervisor with its RemoteForward`,
				'ansible.builtin.copy': {dest: `${home}/.ssh/config`, content: tunnelSshConfig(ctx, wizard, home), mode: '0600', ...owned},
				notify: restart,
			},
			{
				name: `The tunnel key from your vault (${key}), mode 0600`,
				'ansible.builtin.copy': {dest: `${home}/.ssh/id_tunnel`, content: vaultLookup(key), mode: '0600', ...owned},
				notify: restart,
				no_log: true,
			},
			{
				...copyTask('The autossh unit template', {stepId: 'tunnel-client', name: 'autossh-tunnel@.service', path: tunnelUnitPath, mode: 0o644}),
				notify: restart,
			},
			{name: 'Flush the changes, so the units run as written', 'ansible.builtin.meta': 'flush_handlers'},
			{
				name: 'Which tunnels are up (systemd, and an ssh connected for a few seconds)',
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', tunnelStatesProbe(units)]},
				register: 'waymark_tunnels',
				changed_when: false,
				check_mode: false,
			},
			{
				name: 'Start the tunnels that are not up (an active autossh may be pausing minutes between tries)',
				'ansible.builtin.shell': `systemctl daemon-reload\nsystemctl enable {{ (${idle}) | join(' ') }}\nsystemctl restart {{ (${idle}) | join(' ') }}`,
				when: `(${idle}) | length > 0`,
				changed_when: true,
			},
		],
		handlers: [shellHandler(restart, `systemctl daemon-reload\nsystemctl enable ${units.join(' ')}\nsystemctl restart ${units.join(' ')}`)],
		files: {'autossh-tunnel@.service': tunnelUnitText(ctx, wizard)},
		// As the step: without systemd nothing starts the units.
		when: platformFacts.systemd,
		gaps: ['a host without systemd gets nothing (Waymark writes the units and says how to start them)'],
	};
}

export function tunnelClientStep(options: {wizard: string; role: string}): Step {
	return defineStep({
		id: 'tunnel-client',
		title: 'Tunnels from the MaaS to every hypervisor (autossh units)',
		why:
			"The MaaS cannot be reached by the hypervisors, so it keeps a reverse tunnel to each: the guide's ~/.ssh/config Host block " +
			"(RemoteForward 44443 to the MaaS's 4443, ServerAliveInterval 30, ServerAliveCountMax 3) started by `autossh -M 0 -f -T -N` from an " +
			'@reboot cron. -f fights systemd, and without AUTOSSH_GATETIME=0 autossh gives up when the first try fails, as it does at boot; ' +
			'without ExitOnForwardFailure a tunnel whose port is taken stays up doing nothing (PITFALLS §10). So a dedicated account runs one ' +
			'autossh-tunnel@HYPERVISOR unit each (Restart=always, after network-online.target), with a key Waymark made and BatchMode, learning ' +
			"each hypervisor's host key on first contact (accept-new). Without systemd the units are written and reported, not started.",
		role: options.role,
		params: ['tunnelUser', 'tunnelEndpoints', 'relayPort', 'httpsPort'],
		facts: ctx => {
			const user = answerText(ctx.answers, 'tunnelUser');
			return {
				passwd: passwdEntry(user),
				config: homeFile(user, '.ssh/config'),
				key: homeFile(user, '.ssh/id_tunnel'),
				owners: homeOwners(user, owned),
				unit: fileText(tunnelUnitPath),
				// The probe's word: "no" is a host that will never start the units; offline (undefined) or a failed probe is not.
				systemd: commandOutput(systemdProbe),
				autossh: programPath('autossh'),
				active: tunnelStatesFact(tunnelPeers(ctx).map(peer => tunnelUnit(peer.name))),
			};
		},
		plan(ctx, facts) {
			const user = answerText(ctx.answers, 'tunnelUser');
			const peers = tunnelPeers(ctx);
			if (facts.passwd === undefined) {
				return untilLive('the tunnels are set up');
			}

			const existing = facts.passwd?.home;
			const home = existing ?? `/home/${user}`;
			const config = fileChange(`${home}/.ssh/config`, facts.config, tunnelSshConfig(ctx, options.wizard, home), {mode: 0o600});
			const key = fileChange(`${home}/.ssh/id_tunnel`, facts.key, ctx.secrets.get(tunnelKeySecret) ?? '', {mode: 0o600, secret: true});
			const unit = fileChange(tunnelUnitPath, facts.unit, tunnelUnitText(ctx, options.wizard), {mode: 0o644});
			const chown = (config || key || !ownedBy(facts.owners, user, owned)) && chownAction(user, `${home}/.ssh`);
			const systemd = facts.systemd === 'yes';
			const states = facts.active;
			const units = peers.map(peer => tunnelUnit(peer.name));
			// An active unit whose ssh is not connected is restarted too: autossh may be pausing minutes between tries.
			const idle = units.filter(each => states.get(each)?.up !== true);
			const restart = systemd && (config || key || unit) ? units : idle;
			const stalled = config || key || unit ? [] : idle.filter(each => states.get(each)?.state === 'active');
			const why = stalled.length > 0 ? ` (${stalled.join(', ')}: active, but its ssh is not connected)` : '';
			const script = `systemctl daemon-reload\nsystemctl enable ${restart.join(' ')}\nsystemctl restart ${restart.join(' ')}`;
			const start = systemd && restart.length > 0 && ({kind: 'command', title: `Start ${restart.join(', ')}${why}`, script} as const);
			const by = `run \`${command(...tunnelArgs(tunnelAlias(peers[0]?.name ?? 'NAME')))}\` as ${user} with AUTOSSH_GATETIME=0 from the host's init system`;
			const notes = systemd ? [] : [`No systemd here: the units are written but not started; ${by}.`];
			// The units run autossh on this host: without it every one fails with 203/EXEC.
			const install = facts.autossh === undefined && ({kind: 'command', title: 'apt-get install autossh', script: aptInstallScript(['autossh'])} as const);
			const actions = plan([install, existing === undefined && createUserAction(user, 'service'), config, key, chown, unit, start], notes);
			const planned = actions.actions.length === 0 ? noop(`${peers.length} tunnel(s): ${units.join(', ')}.`, ...notes) : actions;
			// Written but never started is no tunnel: deferred with what to do, never ok (an offline image is untilLive above).
			return facts.systemd === 'no'
				? waitsFor(
						planned,
						'No systemd here: the tunnel units are written but nothing starts them, so no hypervisor reaches the MaaS.',
						`To start them, ${by}.`,
					)
				: planned;
		},
		ansible: ctx => tunnelClientAnsible(ctx, options.wizard),
		verify(ctx, facts): Check[] {
			// A tunnel that is down is what `waymark check` is asked about most; an active autossh can hide a refused key.
			if (facts.systemd !== 'yes') {
				return [];
			}

			const states = facts.active;
			return tunnelPeers(ctx).map(peer => {
				const unit = tunnelUnit(peer.name);
				const {state, up} = states.get(unit) ?? {state: 'unknown', up: false};
				return {
					id: `tunnel-${peer.name}`,
					title: `Tunnel to ${peer.name}`,
					status: up ? 'pass' : 'fail',
					evidence: `systemctl is-active ${unit}: ${state}; its ssh ${up ? `connected for ${tunnelSettleSeconds} s or more` : 'is not connected'}`,
					reason: up
						? 'The tunnel is up.'
						: `The hypervisor cannot reach the MaaS through it; \`journalctl -u ${unit}\` shows the ssh error ` +
							`(a refused key, a port held by a dead session, ${peer.host}:${peer.port} unreachable).`,
				} satisfies Check;
			});
		},
	});
}
