// The MaaS side of the guide's tunnels: per hypervisor a Host block with RemoteForward and keep-alives, and an autossh
// unit per hypervisor run by a dedicated user (PITFALLS §10) instead of `autossh -f` from an @reboot cron.
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerText} from '../../source/engine/params.js';
import {command} from '../../source/targets/quote.js';
import type {Check, Step, StepContext} from '../../source/engine/types.js';
import {chownAction, createUserAction, homeFileFact, homeFileText, homeOf, ownedBy, ownersFact, passwdFact} from './accounts.js';
import {aptInstallScript} from './apt-packages.js';
import {fact, fileChange, header, noop, output, plan, untilLive} from './plan-helpers.js';
import {remoteForward, tunnelAlias, tunnelPeers, tunnelUnit} from './tunnel-peers.js';

export const tunnelUnitPath = '/etc/systemd/system/autossh-tunnel@.service';
export const tunnelKeySecret = 'hypervisors-tunnel-key';
const template = loadAsset('systemd/autossh-tunnel@.service');
const owned = ['.ssh', '.ssh/config', '.ssh/id_tunnel'];

/** The exact command the unit runs for one Host alias: autossh without its monitor port, ssh with no shell. */
export function tunnelArgs(alias: string): string[] {
	return ['/usr/bin/autossh', '-M', '0', '-N', '-o', 'ServerAliveInterval=30', '-o', 'ServerAliveCountMax=3', '-o', 'ExitOnForwardFailure=yes', '-o', 'BatchMode=yes', alias];
}

export function tunnelUnitText(ctx: StepContext, wizard: string): string {
	return renderTemplate(template, {header: header(wizard, 'tunnel-client'), user: answerText(ctx.answers, 'tunnelUser'), relayPort: answerText(ctx.answers, 'relayPort'), command: command(...tunnelArgs(tunnelAlias('%i')))});
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

export function tunnelClientStep(options: {wizard: string; role: string}): Step {
	return {
		id: 'tunnel-client',
		title: 'Tunnels from the MaaS to every hypervisor (autossh units)',
		why: 'The MaaS cannot be reached by the hypervisors, so it keeps a reverse tunnel to each: the guide\'s ~/.ssh/config Host block (RemoteForward 44443 to the MaaS\'s 4443, ServerAliveInterval 30, ServerAliveCountMax 3) started by `autossh -M 0 -f -T -N` from an @reboot cron. -f fights systemd, and without AUTOSSH_GATETIME=0 autossh gives up when the first try fails, as it does at boot; without ExitOnForwardFailure a tunnel whose port is taken stays up doing nothing (PITFALLS §10). So a dedicated account runs one autossh-tunnel@HYPERVISOR unit each (Restart=always, after network-online.target), with a key Waymark made and BatchMode, learning each hypervisor\'s host key on first contact (accept-new). Without systemd the units are written and reported, not started.',
		role: options.role,
		params: ['tunnelUser', 'tunnelEndpoints', 'relayPort', 'httpsPort'],
		facts: ctx => {
			const user = answerText(ctx.answers, 'tunnelUser');
			return [
				passwdFact('passwd', user),
				homeFileFact('config', user, '.ssh/config'),
				homeFileFact('key', user, '.ssh/id_tunnel'),
				ownersFact('owners', user, owned),
				{kind: 'file', key: 'unit', path: tunnelUnitPath},
				{kind: 'command', key: 'systemd', command: '[ -d /run/systemd/system ] && echo yes || echo no'},
				{kind: 'command', key: 'autossh', command: 'command -v autossh'},
				{kind: 'command', key: 'active', command: `for u in ${tunnelPeers(ctx).map(peer => tunnelUnit(peer.name)).join(' ')}; do echo "$u $(systemctl is-active "$u" 2>/dev/null)"; done; true`},
			];
		},
		plan(ctx, facts) {
			const user = answerText(ctx.answers, 'tunnelUser');
			const peers = tunnelPeers(ctx);
			if (fact(facts, 'passwd').unavailable) {
				return untilLive('the tunnels are set up');
			}

			const existing = homeOf(facts, 'passwd');
			const home = existing ?? `/home/${user}`;
			const config = fileChange(`${home}/.ssh/config`, homeFileText(facts, 'config'), tunnelSshConfig(ctx, options.wizard, home), {mode: 0o600});
			const key = fileChange(`${home}/.ssh/id_tunnel`, homeFileText(facts, 'key'), ctx.secrets.get(tunnelKeySecret) ?? '', {mode: 0o600, secret: true});
			const unit = fileChange(tunnelUnitPath, fact(facts, 'unit').exists ? fact(facts, 'unit').text : null, tunnelUnitText(ctx, options.wizard), {mode: 0o644});
			const chown = (config || key || !ownedBy(facts, 'owners', user, owned)) && chownAction(user, `${home}/.ssh`);
			const systemd = output(facts, 'systemd') === 'yes';
			const active = (output(facts, 'active') ?? '').split('\n');
			const units = peers.map(peer => tunnelUnit(peer.name));
			const idle = units.filter(each => !active.includes(`${each} active`));
			const restart = systemd && (config || key || unit) ? units : idle;
			const start = systemd && restart.length > 0 && ({kind: 'command', title: `Start ${restart.join(', ')}`, script: `systemctl daemon-reload\nsystemctl enable ${restart.join(' ')}\nsystemctl restart ${restart.join(' ')}`} as const);
			const notes = systemd ? [] : [`No systemd here: the units are written but not started; run \`${command(...tunnelArgs(tunnelAlias(peers[0]?.name ?? 'NAME')))}\` as ${user} with AUTOSSH_GATETIME=0 from the host's init system.`];
			// The units run autossh on this host: without it every one fails with 203/EXEC.
			const install = output(facts, 'autossh') === undefined && ({kind: 'command', title: 'apt-get install autossh', script: aptInstallScript(['autossh'])} as const);
			const actions = plan([install, existing === undefined && createUserAction(user, 'service'), config, key, chown, unit, start], notes);
			return actions.actions.length === 0 ? noop(`${peers.length} tunnel(s): ${units.join(', ')}.`, ...notes) : actions;
		},
		verify(ctx, facts): Check[] {
			// A tunnel that is down is what `waymark check` is asked about most; Restart=always can hide a refused key.
			if (output(facts, 'systemd') !== 'yes') {
				return [];
			}

			const states = new Map((output(facts, 'active') ?? '').split('\n').filter(Boolean).map(line => line.split(' ') as [string, string]));
			return tunnelPeers(ctx).map(peer => {
				const unit = tunnelUnit(peer.name);
				const state = states.get(unit) ?? 'unknown';
				return {
					id: `tunnel-${peer.name}`,
					title: `Tunnel to ${peer.name}`,
					status: state === 'active' ? 'pass' : 'fail',
					evidence: `systemctl is-active ${unit}: ${state}`,
					reason: state === 'active' ? 'The tunnel is up.' : 'The hypervisor cannot reach the MaaS through it; `journalctl -u` the unit for the ssh error (a refused key, a port held by a dead session).',
				} satisfies Check;
			});
		},
	};
}
