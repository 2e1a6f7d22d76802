// The nova cloudpipe guide (shared/guides/nova-cloudpipe-per-project-vpn.rst): a per-project VPN instance with its
// own CA, its payload as user data, and the network host's port forward; every instruction as a step or its modern equivalent.
import {cloudpipeNotDoneHere} from './not-done-here.js';
import {answerList, answerText} from '../../source/engine/params.js';
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Answers, CommandAction, ParamError, Plan, Step, StepContext, Vault, Wizard} from '../../source/engine/types.js';
import {commandSays} from '../../source/facts/state-word.js';
import {quote} from '../../source/targets/quote.js';
import {cloudpipeSecrets, cloudpipeSecretSpecs, projectVault} from './cloudpipe-pki.js';
import {cloudpipeUserDataStep} from './cloudpipe-user-data.js';
import {aptPackagesStep} from '../common/apt-packages.js';
import {ipForwardingStep} from '../common/ip-forwarding.js';
import {iptablesAppendStep} from '../common/iptables-append.js';
import {openvpnInstallStep} from '../common/openvpn-install.js';
import {daemonPaths, daemonStartScript} from '../common/openvpn-service.js';
import {readVault, vaultParam} from '../common/operator-vault.js';
import {header, plan} from '../common/plan-helpers.js';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';
import {wantedFilesStep} from '../common/wanted-files.js';
import {base64Lines, zipArchive} from './zip-archive.js';

const id = 'cloudpipe';
const asset = (path: string) => loadAsset(path);
const templates = {
	server: asset('openvpn/cloudpipe-server.conf'),
	up: asset('openvpn/cloudpipe-up.sh'),
	down: asset('openvpn/cloudpipe-down.sh'),
	autorun: asset('openvpn/cloudpipe-autorun.sh'),
	fetch: asset('openvpn/cloudpipe-fetch.sh'),
	profile: asset('openvpn/cloudpipe-client.ovpn'),
	payloadUnit: asset('systemd/cloudpipe-payload.service'),
	crlUnit: asset('systemd/cloudpipe-crl.service'),
	crlTimer: asset('systemd/cloudpipe-crl.timer'),
};

export const fetchScript = '/usr/local/sbin/cloudpipe-fetch';
const units = {
	payload: '/etc/systemd/system/cloudpipe-payload.service',
	crl: '/etc/systemd/system/cloudpipe-crl.service',
	timer: '/etc/systemd/system/cloudpipe-crl.timer',
};

function network(cidr: string): {address: string; mask: string} {
	const [address = '', bits = '0'] = cidr.split('/');
	const mask = Number(bits) === 0 ? 0 : (0xff_ff_ff_ff << (32 - Number(bits))) >>> 0;
	return {address, mask: [24, 16, 8, 0].map(shift => (mask >>> shift) & 0xff).join('.')};
}

function renderProfile(answers: Answers, vault: Vault, user: string, pem: string): string {
	const {key, certificate} = splitKeyAndCertificate(pem);
	const ca = splitKeyAndCertificate(readSecretFromVault(answers, vault, 'ca.pem')).certificate;
	return renderTemplate(templates.profile, {
		user,
		project: answerText(answers, 'project'),
		remote: answerText(answers, 'publicIp'),
		port: answerText(answers, 'publicPort'),
		ca,
		cert: certificate,
		key,
		tlsCrypt: readSecretFromVault(answers, vault, 'tls-crypt.key'),
	});
}

// Profiles are made while the vault is being filled; the CA and tls-crypt key are there by then.
function readSecretFromVault(answers: Answers, vault: Vault, name: string): string {
	return readVault(vault, projectVault(answers), name) ?? '';
}

/** The files of the guide's payload: server.conf, up.sh, down.sh, autorun.sh, and the keys nova put beside them. */
export function payloadFiles(ctx: StepContext): Array<{name: string; content: string; mode?: number}> {
	const secret = (name: string) => ctx.secrets.get(name) ?? '';
	const pool = network(answerText(ctx.answers, 'clientPool'));
	const project = network(answerText(ctx.answers, 'projectNetwork'));
	const server = splitKeyAndCertificate(secret(cloudpipeSecrets.server));
	const head = (step: string) => header(id, step);
	return [
		{
			name: 'server.conf',
			content: renderTemplate(templates.server, {
				header: head('payload'),
				poolNetwork: pool.address,
				poolMask: pool.mask,
				projectNetwork: project.address,
				projectMask: project.mask,
				maxClients: answerText(ctx.answers, 'maxClients'),
			}),
		},
		{name: 'up.sh', content: renderTemplate(templates.up, {header: head('payload'), pool: answerText(ctx.answers, 'clientPool')}), mode: 0o755},
		{name: 'down.sh', content: renderTemplate(templates.down, {header: head('payload'), pool: answerText(ctx.answers, 'clientPool')}), mode: 0o755},
		{
			name: 'autorun.sh',
			content: renderTemplate(templates.autorun, {
				header: head('payload'),
				pidFile: daemonPaths('server', 'cloudpipe').pid,
				start: daemonStartScript('server', 'cloudpipe'),
			}),
			mode: 0o755,
		},
		{name: 'ca.crt', content: splitKeyAndCertificate(secret(cloudpipeSecrets.ca)).certificate},
		{name: 'server.crt', content: server.certificate},
		{name: 'server.key', content: server.key, mode: 0o600},
		{name: 'tls-crypt.key', content: secret(cloudpipeSecrets.tlsCrypt), mode: 0o600},
		{name: 'crl.pem', content: secret(cloudpipeSecrets.crl)},
	];
}

/** The user data: the payload zipped and base64 encoded, as nova passed it to the instance. */
export function userData(ctx: StepContext): string {
	return base64Lines(zipArchive(payloadFiles(ctx)));
}

const userDataPath = (ctx: StepContext) => answerText(ctx.answers, 'userDataPath');

/** Whether the boot unit and the timer are set (`enabled enabled active`), or there is no systemd to set them in. */
export function bootUnitsDef(): FactDef<boolean> {
	return commandSays(
		'if [ -d /run/systemd/system ]; then echo "$(systemctl is-enabled cloudpipe-payload.service 2>/dev/null) ' +
			'$(systemctl is-enabled cloudpipe-crl.timer 2>/dev/null) $(systemctl is-active cloudpipe-crl.timer 2>/dev/null)"; ' +
			'else echo no-systemd; fi',
		['enabled enabled active', 'no-systemd'],
	);
}

const enableBootUnits: CommandAction = {
	kind: 'command',
	title: 'Enable the payload unit and the CRL timer (systemd)',
	script:
		'if [ -d /run/systemd/system ]; then systemctl daemon-reload && systemctl enable cloudpipe-payload.service ' +
		'cloudpipe-crl.timer && systemctl start cloudpipe-crl.timer; else echo "no systemd here: Waymark runs ' +
		'the payload itself"; fi',
};

/**
 * The image's payload runner and CRL refresh. Enabling them is planned from what systemd says, not only after the
 * files change: a run cut off between the write and the enable, or an offline image (where it waits for the live
 * host), would otherwise keep units that never start at boot, and pass.
 */
function vpnImageStep(): Step {
	const files = wantedFilesStep({
		id: 'vpn-image',
		title: 'Boot-time payload runner and hourly CRL refresh',
		why:
			"The guide's rc.local downloads the user data, decodes it, unzips it and runs autorun.sh; a cron script " +
			'fetches it again to copy the new CRL. Here one script does both (the seed file Waymark wrote, else the ' +
			'metadata service), run at boot by a systemd oneshot unit instead of rc.local, and hourly with --crl-only ' +
			'by a timer, so revoked users are refused and cut off at the next renegotiation. Only a CRL signed by ' +
			'the installed project CA is accepted.',
		role: 'vpn',
		params: ['userDataPath', 'metadataUrl'],
		extraFacts: {'boot-units': bootUnitsDef()},
		files: ctx => {
			const head = header(id, 'vpn-image');
			return [
				{
					path: fetchScript,
					content: renderTemplate(templates.fetch, {header: head, seed: quote(userDataPath(ctx)), url: quote(answerText(ctx.answers, 'metadataUrl'))}),
					mode: 0o755,
				},
				{path: units.payload, content: renderTemplate(templates.payloadUnit, {header: head})},
				{path: units.crl, content: renderTemplate(templates.crlUnit, {header: head})},
				{path: units.timer, content: renderTemplate(templates.crlTimer, {header: head})},
			];
		},
	});
	// The files are the shared step's; the enable is decided over the parsed boot-units fact, from what it planned.
	const enabling = (planned: Plan) =>
		defineStep({
			id: files.id,
			title: files.title,
			why: files.why,
			role: files.role,
			facts: () => ({'boot-units': bootUnitsDef()}),
			plan: (_ctx, facts) => (planned.actions.length === 0 && facts['boot-units'] ? planned : plan([...planned.actions, enableBootUnits], planned.notes)),
		});
	return {...files, plan: (ctx, facts) => enabling(files.plan(ctx, facts)).plan(ctx, facts)};
}

export const cloudpipe: Wizard = {
	id,
	title: 'Cloudpipe: per-project VPN with its own CA',
	guide: 'nova-cloudpipe-per-project-vpn.rst',
	summary:
		'A VPN instance per project: a project CA with server and client certificates and a CRL, the payload ' +
		'(config, scripts, keys) as base64 zip user data, an image that runs it at boot and refreshes the CRL ' +
		"hourly, and the network host's port forward to it.",
	roles: ['network-host', 'vpn'],
	params: [
		{name: 'project', type: 'string', default: 'project1', help: 'Project id (names the CA and the vault folder)'},
		{name: 'publicIp', type: 'ipv4', help: 'Public address of the network host, where users connect'},
		{
			name: 'publicPort',
			type: 'port',
			default: '41194',
			help: "The project's high-numbered public UDP port on the network host (forwarded to 1194 on the VPN)",
		},
		{name: 'vpnIp', type: 'ipv4', help: 'Private address of the VPN instance (nova reserves the second address of the project network)'},
		{name: 'projectNetwork', type: 'cidr', default: '10.0.0.0/24', help: "The project's private network, pushed to VPN users as a route"},
		{name: 'clientPool', type: 'cidr', default: '10.8.0.0/24', help: 'Addresses for VPN users inside the tunnel'},
		{name: 'maxClients', type: 'integer', min: 1, max: 1000, default: '5', help: "Most users connected at once (the guide's --cnt_vpn_clients=5)"},
		{
			name: 'clients',
			type: 'word-list',
			optional: true,
			default: [],
			help: 'Users to issue a certificate and .ovpn profile for (added names are issued on the next run)',
		},
		{name: 'revoke', type: 'word-list', optional: true, default: [], help: 'Users whose certificate is revoked (stays revoked; the CRL is signed again)'},
		{
			name: 'crlDays',
			type: 'integer',
			min: 2,
			max: 3650,
			// The CA key stays on the operator's machine, so only a run of the wizard signs a new CRL, and an expired one makes
			// OpenVPN refuse every client. A year outlasts the gaps between runs; revocations still take effect at once,
			// since each one signs a new CRL that the hourly refresh installs.
			default: '365',
			help:
				'Days a CRL is valid. Only a run of the wizard signs one (the CA key stays with you): it is signed again once half of ' +
				'that has passed, and check warns 30 days before the end, when OpenVPN would refuse every client',
		},
		{
			name: 'userDataPath',
			type: 'path',
			default: '/var/lib/waymark/cloudpipe/user-data.b64',
			help: "Where the base64 zip user data is written (on the network host, and as the VPN instance's seed)",
		},
		{name: 'networkPackages', type: 'word-list', default: ['iptables'], help: 'Debian packages the network host needs for the port forward'},
		{
			name: 'metadataUrl',
			type: 'string',
			default: 'http://169.254.169.254/latest/user-data',
			help: 'Where the VPN instance fetches its user data when it has no seed file',
		},
		vaultParam(),
	],
	notDoneHere: cloudpipeNotDoneHere,
	secrets: cloudpipeSecretSpecs(renderProfile),
	validate(answers) {
		const errors: ParamError[] = [];
		if (!/^[a-z\d][\w-]{0,30}$/i.test(answerText(answers, 'project'))) {
			errors.push({
				field: 'project',
				message: `project: got ${JSON.stringify(answerText(answers, 'project'))}; expected a short id of letters, digits, - and _`,
			});
		}

		// A user's name is a certificate's common name (64 characters at most, X.509) and a file name.
		for (const field of ['clients', 'revoke']) {
			for (const name of answerList(answers, field)) {
				if (!/^[a-z\d][\w.-]{0,63}$/i.test(name)) {
					errors.push({
						field,
						message:
							`${field}: ${JSON.stringify(name.length > 70 ? `${name.slice(0, 60)}…` : name)} is not a user name; expected ` +
							`up to 64 letters, digits, ., - and _`,
					});
				}
			}
		}

		if (!/^https?:\/\/[\w.:/-]+$/.test(answerText(answers, 'metadataUrl'))) {
			errors.push({field: 'metadataUrl', message: 'metadataUrl: expected an http:// URL such as http://169.254.169.254/latest/user-data'});
		}

		return errors;
	},
	steps: [
		wantedFilesStep({
			id: 'network-user-data',
			title: 'The VPN payload as user data (base64 zip)',
			why:
				"nova-manage zips the VPN's certificate, key and scripts and passes them b64 encoded as user data. Waymark " +
				'builds the same payload on your machine (server.conf, up.sh, down.sh, autorun.sh, the project CA certificate, ' +
				'the server key and certificate, the tls-crypt key and the CRL) and writes it with mode 0600, since it ' +
				'holds the server key: pass it as user data when launching the VPN instance, or let the vpn role seed ' +
				'it. With root:DIR it prepares the file offline. One departure from the guide: the VPN is routed (tun), ' +
				"not bridged into br0 (tap): the bridge moved the instance's only interface and cut the link it is managed " +
				'over, and nova set it up; clients get a route to the project network and are masqueraded into it instead. ' +
				'down.sh runs through the down-root plugin, since after `user nobody` it would have no rights left.',
			role: 'network-host',
			params: ['project', 'clientPool', 'projectNetwork', 'maxClients', 'userDataPath', 'vault', 'clients', 'revoke', 'crlDays'],
			files: ctx => [{path: userDataPath(ctx), content: userData(ctx), secret: true}],
			notes: ctx => [`Client profiles (.ovpn, private to each user) are in ${projectVault(ctx.answers)}/clients on your machine.`],
		}),
		aptPackagesStep({
			id: 'network-packages',
			title: 'iptables on the network host',
			why: 'nova-network wrote the port forward with iptables; a minimal image has none. Installed noninteractively, only when missing.',
			role: 'network-host',
			param: 'networkPackages',
		}),
		ipForwardingStep({
			id: 'network-forwarding',
			role: 'network-host',
			wizard: id,
			why:
				"nova-network forwards the project's public port to the VPN instance, which needs IP forwarding on the " +
				'network host; set in /etc/sysctl.d so it survives a reboot.',
		}),
		iptablesAppendStep({
			id: 'network-port-forward',
			title: 'Forward the public port to 1194 on the VPN instance',
			why:
				"Each project gets a high-numbered port on the network host's public address, forwarded to 1194 on its " +
				'VPN instance. nova wrote these rules itself; here they are a DNAT rule and a FORWARD accept, each checked ' +
				'with -C before it is added (so a re-run adds nothing) and saved for the next boot.',
			role: 'network-host',
			params: ['publicIp', 'publicPort', 'vpnIp'],
			rules: ctx => [
				{
					table: 'nat',
					rule:
						`-A PREROUTING -d ${answerText(ctx.answers, 'publicIp')}/32 -p udp -m udp --dport ${answerText(ctx.answers, 'publicPort')} ` +
						`-j DNAT --to-destination ${answerText(ctx.answers, 'vpnIp')}:1194`,
				},
				{table: 'filter', rule: `-A FORWARD -d ${answerText(ctx.answers, 'vpnIp')}/32 -p udp -m udp --dport 1194 -j ACCEPT`},
			],
		}),
		openvpnInstallStep({
			id: 'vpn-openvpn',
			role: 'vpn',
			// up.sh masquerades with iptables and the CRL refresh verifies with openssl: a minimal image has neither.
			extraPackages: ['unzip', 'iptables', 'openssl'],
			why:
				'The guide\'s image is "a linux instance with openvpn installed" plus a way to unpack the payload: openvpn ' +
				"and unzip, iptables for the security group and up.sh's NAT, and openssl to verify a refreshed CRL, " +
				'installed only when missing.',
		}),
		vpnImageStep(),
		iptablesAppendStep({
			id: 'vpn-security-group',
			title: 'Open 1194/udp and ICMP on the VPN instance',
			why:
				'nova creates a security group <project_id>-vpn that opens 1194 and icmp. Outside nova the same holds ' +
				"on the instance's own firewall: accept rules, each checked with -C first and saved.",
			role: 'vpn',
			rules: () => [
				{table: 'filter', rule: '-A INPUT -p udp -m udp --dport 1194 -j ACCEPT'},
				{table: 'filter', rule: '-A INPUT -p icmp -j ACCEPT'},
			],
		}),
		cloudpipeUserDataStep({id: 'vpn-user-data', role: 'vpn', fetchScript, userData, userDataPath}),
	],
};
