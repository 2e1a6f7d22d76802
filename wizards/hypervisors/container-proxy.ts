// The guide's second tunnel for containers: a loopback alias address kept across boots, and a socket proxy on it.
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {answerText} from '../../source/engine/params.js';
import {command} from '../../source/targets/quote.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {AnsibleStep, FileAction, Step, StepContext} from '../../source/engine/types.js';
import {copyTask, platformFacts, shellHandler} from '../common/ansible-tasks.js';
import {commandOutput} from '../../source/facts/command.js';
import {dirExists, fileText} from '../../source/facts/files.js';
import {systemdProbe} from '../../source/facts/platform.js';
import {fileChange, header, noop, plan, waitsFor} from '../common/plan-helpers.js';

export const proxyPaths = {
	socket: '/etc/systemd/system/maas-container-proxy.socket',
	service: '/etc/systemd/system/maas-container-proxy.service',
	ifupdown: '/etc/network/interfaces.d/waymark-lo-maas',
	netplan: '/etc/netplan/60-waymark-lo-maas.yaml',
	unit: '/etc/systemd/system/waymark-lo-maas.service',
} as const;

const templates = {socket: loadAsset('systemd/maas-container-proxy.socket'), service: loadAsset('systemd/maas-container-proxy.service')};

/** Which network stack keeps the address: the guide's ifupdown, netplan, or else a oneshot unit. */
export type AliasKeeper = 'ifupdown' | 'netplan' | 'unit';

export function aliasKeeper(interfaces: string | null, netplan: boolean): AliasKeeper {
	if (netplan) {
		return 'netplan';
	}

	return interfaces !== null && /^\s*source(-directory)?\s+\/etc\/network\/interfaces\.d/m.test(interfaces) ? 'ifupdown' : 'unit';
}

/** The file that brings the alias back at boot; a /32, since a /24 on lo makes the whole subnet local. */
export function aliasFile(keeper: AliasKeeper, address: string, wizard: string): {path: string; text: string; mode: number} {
	const head = header(wizard, 'container-proxy');
	switch (keeper) {
		case 'ifupdown': {
			return {path: proxyPaths.ifupdown, text: `${head}\nauto lo:0\niface lo:0 inet static\n\taddress ${address}/32\n`, mode: 0o644};
		}

		case 'netplan': {
			return {path: proxyPaths.netplan, text: `${head}\nnetwork:\n  version: 2\n  ethernets:\n    lo:\n      addresses: [${address}/32]\n`, mode: 0o600};
		}

		case 'unit': {
			return {
				path: proxyPaths.unit,
				text: [
					head,
					'[Unit]',
					`Description=Loopback alias ${address} for containers`,
					'Before=network-pre.target',
					'Wants=network-pre.target',
					'',
					'[Service]',
					'Type=oneshot',
					'RemainAfterExit=yes',
					`ExecStart=/sbin/ip addr replace ${address}/32 dev lo label lo:0`,
					'',
					'[Install]',
					'WantedBy=multi-user.target',
					'',
				].join('\n'),
				mode: 0o644,
			};
		}
	}
}

export function proxyUnitTexts(ctx: StepContext, wizard: string): {socket: string; service: string} {
	const head = header(wizard, 'container-proxy');
	const address = answerText(ctx.answers, 'containerAddress');
	const port = answerText(ctx.answers, 'containerPort');
	const relayPort = answerText(ctx.answers, 'relayPort');
	return {socket: renderTemplate(templates.socket, {header: head, address, port}), service: renderTemplate(templates.service, {header: head, relayPort})};
}

/** `ip -4 -o addr show dev lo` as text; '' when it failed, undefined when the target cannot be asked (offline). */
function loopbackAddresses(): FactDef<string | undefined> {
	return {
		request: {kind: 'command', command: 'ip -4 -o addr show dev lo'},
		parse: fact => (fact.unavailable ? undefined : fact.exitCode === 0 ? fact.text.trim() : ''),
	};
}

/** The keeper as aliasKeeper decides it, read on the host in one word. */
const keeperProbe = [
	'if [ -d /etc/netplan ]; then echo netplan',
	"elif grep -Eq '^[[:space:]]*source(-directory)?[[:space:]]+/etc/network/interfaces[.]d' /etc/network/interfaces 2>/dev/null; then echo ifupdown",
	'else echo unit; fi',
].join('\n');

function containerProxyAnsible(ctx: StepContext, wizard: string): AnsibleStep {
	const address = answerText(ctx.answers, 'containerAddress');
	const units = proxyUnitTexts(ctx, wizard);
	const restart = 'Reload systemd, then restart the alias and the socket proxy';
	const keepers: readonly AliasKeeper[] = ['ifupdown', 'netplan', 'unit'];
	const files: Record<string, string> = {'maas-container-proxy.socket': units.socket, 'maas-container-proxy.service': units.service};
	const aliasTasks = keepers.map(keeper => {
		const alias = aliasFile(keeper, address, wizard);
		const name = alias.path.split('/').at(-1)!;
		files[name] = alias.text;
		return {
			...copyTask(`${address}/32 on lo kept by ${keeper === 'unit' ? 'a oneshot unit' : keeper}`, {
				stepId: 'container-proxy',
				name,
				path: alias.path,
				mode: alias.mode,
				notify: restart,
			}),
			when: `waymark_alias_keeper.stdout | trim == '${keeper}'`,
		};
	});
	const unitCopy = (name: string, path: string) =>
		copyTask(name, {stepId: 'container-proxy', name: path.split('/').at(-1)!, path, mode: 0o644, notify: restart});
	const enable = (keeperUnit: boolean) =>
		`systemctl daemon-reload\nsystemctl enable ${keeperUnit ? 'waymark-lo-maas.service ' : ''}maas-container-proxy.socket\nsystemctl restart ${keeperUnit ? 'waymark-lo-maas.service ' : ''}maas-container-proxy.socket`;
	return {
		tasks: [
			{
				name: 'How this host keeps network settings: netplan, ifupdown, or neither',
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', keeperProbe]},
				register: 'waymark_alias_keeper',
				changed_when: false,
				check_mode: false,
			},
			...aliasTasks,
			unitCopy('The socket unit that listens for containers', proxyPaths.socket),
			unitCopy('The proxy service behind it (systemd-socket-proxyd to the tunnel)', proxyPaths.service),
			{
				name: 'The addresses on lo',
				'ansible.builtin.command': {argv: ['ip', '-4', '-o', 'addr', 'show', 'dev', 'lo']},
				register: 'waymark_lo',
				changed_when: false,
			},
			{
				name: `Add ${address}/32 to lo now`,
				'ansible.builtin.command': {argv: ['ip', 'addr', 'replace', `${address}/32`, 'dev', 'lo', 'label', 'lo:0']},
				when: `' ${address}/32 ' not in waymark_lo.stdout`,
				changed_when: true,
			},
			{
				name: 'Whether the socket proxy listens',
				'ansible.builtin.command': {argv: ['/bin/sh', '-c', 'systemctl is-active maas-container-proxy.socket']},
				register: 'waymark_proxy_active',
				changed_when: false,
				failed_when: false,
			},
			{
				name: 'Enable and start the socket proxy (it is not running)',
				'ansible.builtin.shell': `if [ "$(${keeperProbe.replaceAll('\n', '; ')})" = unit ]; then ${enable(true).replaceAll('\n', '; ')}; else ${enable(false).replaceAll('\n', '; ')}; fi`,
				when: "waymark_proxy_active.stdout | trim != 'active'",
				changed_when: true,
			},
		],
		handlers: [shellHandler(restart, `if [ "$(${keeperProbe.replaceAll('\n', '; ')})" = unit ]; then\n${enable(true)}\nelse\n${enable(false)}\nfi`)],
		files,
		// As the step: without systemd nothing starts the socket.
		when: platformFacts.systemd,
		gaps: ['a host without systemd gets nothing (Waymark writes the files and says what to start instead)'],
	};
}

export function containerProxyStep(options: {wizard: string; role: string}): Step {
	return defineStep({
		id: 'container-proxy',
		title: 'MaaS port for containers (loopback alias and socket proxy)',
		why:
			"The first tunnel listens on the hypervisor's loopback only, so the guide opens a second ssh session to the hypervisor itself with " +
			'LocalForward 192.168.49.49:64443 to localhost:44443, and adds 192.168.49.49 to lo as lo:0 in /etc/network/interfaces. A second ssh ' +
			'login just to move bytes needs another key; systemd-socket-proxyd does the same from a socket unit. The address goes on lo as a ' +
			"/32 (the guide's 255.255.255.0 makes the whole /24 local to the hypervisor) and is kept the way this host configures its network: " +
			'an interfaces.d stanza (ifupdown), a netplan file, or a oneshot unit.',
		role: options.role,
		params: ['containerAddress', 'containerPort', 'relayPort'],
		facts: () => ({
			interfaces: fileText('/etc/network/interfaces'),
			'netplan-dir': dirExists('/etc/netplan'),
			// Each file under its proxyPaths name: the alias file is read by the keeper's name.
			socket: fileText(proxyPaths.socket),
			service: fileText(proxyPaths.service),
			ifupdown: fileText(proxyPaths.ifupdown),
			netplan: fileText(proxyPaths.netplan),
			unit: fileText(proxyPaths.unit),
			lo: loopbackAddresses(),
			// The probe's word: "no" is a host that will never start the socket; offline (undefined) or a failed probe is not.
			systemd: commandOutput(systemdProbe),
			active: commandOutput('systemctl is-active maas-container-proxy.socket 2>/dev/null'),
		}),
		plan(ctx, facts) {
			const address = answerText(ctx.answers, 'containerAddress');
			const keeper = aliasKeeper(facts.interfaces, facts['netplan-dir']);
			const alias = aliasFile(keeper, address, options.wizard);
			const units = proxyUnitTexts(ctx, options.wizard);
			const files: Array<FileAction | undefined> = [
				fileChange(alias.path, facts[keeper], alias.text, {mode: alias.mode}),
				fileChange(proxyPaths.socket, facts.socket, units.socket, {mode: 0o644}),
				fileChange(proxyPaths.service, facts.service, units.service, {mode: 0o644}),
			];
			const live = facts.lo !== undefined;
			const hasAddress = (facts.lo ?? '').includes(` ${address}/32 `);
			const systemd = facts.systemd === 'yes';
			const enable = [...(keeper === 'unit' ? ['waymark-lo-maas.service'] : []), 'maas-container-proxy.socket'];
			const start = systemd && (files.some(Boolean) || facts.active !== 'active');
			const actions = plan([
				...files,
				live &&
					!hasAddress && {
						kind: 'command',
						title: `Add ${address}/32 to lo now`,
						script: command('ip', 'addr', 'replace', `${address}/32`, 'dev', 'lo', 'label', 'lo:0'),
					},
				start && {
					kind: 'command',
					title: `Enable and start ${enable.join(', ')}`,
					script: `systemctl daemon-reload\nsystemctl enable ${enable.join(' ')}\nsystemctl restart ${enable.join(' ')}`,
				},
			]);
			const notes = [
				`The address is kept by ${keeper === 'unit' ? 'a oneshot unit' : keeper}.`,
				...(systemd ? [] : ['No systemd here: the socket proxy is written but not started.']),
			];
			const listen = `${address}:${answerText(ctx.answers, 'containerPort')}`;
			const planned = actions.actions.length === 0 ? noop(`Containers reach the MaaS at ${listen}.`, ...notes) : {...actions, notes};
			// The socket unit is the proxy: without systemd to start it, containers reach nothing yet.
			return facts.systemd === 'no'
				? waitsFor(
						planned,
						'No systemd here: the socket proxy for containers is written but nothing starts it.',
						`Forward ${listen} to 127.0.0.1:${answerText(ctx.answers, 'relayPort')} from the host's init system (socat, or an inetd-style service).`,
					)
				: planned;
		},
		ansible: ctx => containerProxyAnsible(ctx, options.wizard),
	});
}
