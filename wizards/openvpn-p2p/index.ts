// The mist.io guide (shared/guides/mistio-openvpn-private-network.rst): an OpenVPN link from a public server into a
// private network, every instruction as a step or its modern equivalent.
import {openvpnP2pNotDoneHere} from './not-done-here.js';
import {StepFailure} from '../../source/engine/errors.js';
import {answerText} from '../../source/engine/params.js';
import {loadAsset, renderTemplate} from '../../source/engine/assets.js';
import {certificateFingerprint} from '../../source/keys/pki.js';
import type {ParamError, StepContext, Wizard} from '../../source/engine/types.js';
import {capabilitiesStep} from './capabilities-unit.js';
import {haproxyStopStep} from './haproxy-stop.js';
import {ipForwardingStep} from '../common/ip-forwarding.js';
import {iptablesAppendStep} from '../common/iptables-append.js';
import {nginxBasicAuthStep} from './nginx-basic-auth.js';
import {needsStaticOverride, openvpnInstallStep, staticKeyWarning} from '../common/openvpn-install.js';
import {openvpnVersionDef} from '../../source/facts/openvpn.js';
import {openvpnDir, openvpnServiceStep, restartIfRunning, type OpenvpnKind} from '../common/openvpn-service.js';
import {p2pSecrets, p2pSecretSpecs} from './p2p-keys.js';
import {header} from '../common/plan-helpers.js';
import {policyRoutingStep} from './policy-routing.js';
import {vaultParam} from '../common/operator-vault.js';
import {splitKeyAndCertificate} from '../../source/keys/pem.js';
import {wantedFilesStep, type WantedFile} from '../common/wanted-files.js';

const id = 'openvpn-p2p';
const templates = {tls: loadAsset('openvpn/p2p-tls.conf'), static: loadAsset('openvpn/p2p-static.conf'), up: loadAsset('openvpn/p2p-up.sh')};

const name = (ctx: StepContext) => answerText(ctx.answers, 'name');
const isStatic = (ctx: StepContext) => answerText(ctx.answers, 'mode') === 'static-key';
/** Key files live next to the config, in a folder named after the link; configs name them relative to it. */
const keyDir = (ctx: StepContext, kind: OpenvpnKind) => `${openvpnDir(kind)}/${name(ctx)}`;
const upScript = (ctx: StepContext) => `${keyDir(ctx, 'server')}/up.sh`;

function pair(ctx: StepContext, kind: OpenvpnKind): {key: string; certificate: string} {
	return splitKeyAndCertificate(ctx.secrets.get(kind === 'server' ? p2pSecrets.server : p2pSecrets.client) ?? '');
}

function safeFingerprint(pem: string): string {
	try {
		return certificateFingerprint(pem);
	} catch {
		return '(no certificate yet)';
	}
}

export function keyFiles(ctx: StepContext, kind: OpenvpnKind): WantedFile[] {
	const dir = keyDir(ctx, kind);
	if (isStatic(ctx)) {
		return [{path: `${dir}/static.key`, content: ctx.secrets.get(p2pSecrets.staticKey) ?? '', secret: true}];
	}

	const own = pair(ctx, kind);
	return [
		{path: `${dir}/${kind}.key`, content: own.key, secret: true},
		{path: `${dir}/${kind}.crt`, content: own.certificate},
		{path: `${dir}/tls-crypt.key`, content: ctx.secrets.get(p2pSecrets.tlsCrypt) ?? '', secret: true},
	];
}

export function renderConfig(ctx: StepContext, kind: OpenvpnKind, version?: readonly [number, number]): string {
	const server = kind === 'server';
	const proto = answerText(ctx.answers, 'proto');
	const common = {
		header: header(id, `${kind}-config`),
		proto: proto === 'tcp' ? `tcp-${kind}` : 'udp',
		port: answerText(ctx.answers, 'port'),
		remote: server ? '' : `remote ${answerText(ctx.answers, 'serverPublicAddress')}\n`,
		local: answerText(ctx.answers, server ? 'serverTunnelIp' : 'clientTunnelIp'),
		peer: answerText(ctx.answers, server ? 'clientTunnelIp' : 'serverTunnelIp'),
		dir: name(ctx),
		upScript: server ? `script-security 2\nup ${name(ctx)}/up.sh\n` : '',
	};
	if (isStatic(ctx)) {
		return renderTemplate(templates.static, {...common, allowStatic: needsStaticOverride(version) ? 'allow-deprecated-insecure-static-crypto\n' : ''});
	}

	if (version !== undefined && (version[0] < 2 || (version[0] === 2 && version[1] < 6))) {
		// peer-fingerprint arrived in OpenVPN 2.6; Ubuntu 22.04 ships 2.5, which refuses the option and never starts.
		throw new StepFailure(
			`OpenVPN ${version.join('.')} on ${ctx.target.label} has no peer-fingerprint (it came with 2.6), so the tls-fingerprint config would not start.`,
			"Install OpenVPN 2.6 or newer (Debian 12, Ubuntu 24.04, or the OpenVPN project's apt repository), or choose mode: static-key, then retry.",
		);
	}

	return renderTemplate(templates.tls, {
		...common,
		role: kind,
		tlsRole: server ? 'tls-server\ndh none' : 'tls-client',
		peerFingerprint: safeFingerprint(pair(ctx, server ? 'client' : 'server').certificate),
	});
}

function renderUpScript(ctx: StepContext): string {
	return renderTemplate(templates.up, {
		header: header(id, 'server-routing'),
		local: answerText(ctx.answers, 'serverTunnelIp'),
		peer: answerText(ctx.answers, 'clientTunnelIp'),
		table: answerText(ctx.answers, 'routeTableName'),
		tableId: answerText(ctx.answers, 'routeTableId'),
	});
}

const keyParams = ['name', 'mode', 'vault'];
const configParams = ['name', 'mode', 'proto', 'port', 'serverPublicAddress', 'serverTunnelIp', 'clientTunnelIp'];

function keysStep(kind: OpenvpnKind) {
	return wantedFilesStep({
		id: `${kind}-keys`,
		title: `Keys of the ${kind} (0600, never shown)`,
		why:
			'The guide makes a static key with `openvpn --genkey --secret` on the server and copies it to the client ' +
			'by hand. Waymark makes the keys on your machine with a CSPRNG (no openvpn needed there), keeps them ' +
			'in your vault so later runs use the same ones, and writes them with mode 0600; only fingerprints are ' +
			'shown. The default mode replaces the static key with TLS: a self-signed certificate per side pinned ' +
			'by `peer-fingerprint` and a `tls-crypt` key, which gives forward secrecy (PITFALLS §6).',
		role: kind,
		params: keyParams,
		files: ctx => keyFiles(ctx, kind),
		notes: ctx => (isStatic(ctx) ? [staticKeyWarning] : [`This side's certificate: SHA256 ${safeFingerprint(pair(ctx, kind).certificate)}.`]),
		afterChange: ctx => [restartIfRunning(kind, name(ctx))],
	});
}

function configStep(kind: OpenvpnKind) {
	return wantedFilesStep({
		id: `${kind}-config`,
		title: `OpenVPN ${kind} config`,
		why:
			kind === 'server'
				? "The guide's server config: dev tun0, the port, `ifconfig <server_IP> <client_IP>`, proto tcp-server " +
					'and the key. Rendered from a template with an explicit cipher (an old config without one dies with "Cipher ' +
					'BF-CBC not supported" on OpenSSL 3), in /etc/openvpn/server so the distribution\'s openvpn-server@ unit ' +
					'runs it, and naming the up script that sets the routing.'
				: "The guide's client config: `remote <server_public_IP>`, the same port, proto tcp-client and the ifconfig " +
					'pair reversed. Rendered from a template with an explicit cipher, in /etc/openvpn/client for the openvpn-client@ ' +
					'unit.',
		role: kind,
		params: configParams,
		// The config depends on the OpenVPN version: 2.7 needs an explicit override for static keys.
		extraFacts: {'openvpn-version': openvpnVersionDef()},
		files: (ctx, facts) => [{path: `${openvpnDir(kind)}/${name(ctx)}.conf`, content: renderConfig(ctx, kind, facts?.['openvpn-version']?.version)}],
		notes: ctx => (isStatic(ctx) ? [staticKeyWarning] : []),
		afterChange: ctx => [restartIfRunning(kind, name(ctx))],
	});
}

const installWhy =
	'The guide runs `apt-get install openvpn` on both ends. Installed only when missing, noninteractively; ' +
	'where there is no apt-get the step stops with the command to run instead.';

export const openvpnP2p: Wizard = {
	id,
	title: 'OpenVPN link into a private network (mist.io)',
	guide: 'mistio-openvpn-private-network.rst',
	summary:
		'Links a public server to a machine inside a private network with OpenVPN: keys made by Waymark, server ' +
		"and client configs, policy routing on the server, forwarding and NAT on the client, and the guide's " +
		'optional nginx with basic auth in front of mist.io.',
	roles: ['server', 'client'],
	params: [
		{name: 'name', type: 'string', default: 'mistio', help: 'Name of the link: config NAME.conf and units openvpn-server@NAME / openvpn-client@NAME'},
		{
			name: 'mode',
			type: 'enum',
			choices: ['tls-fingerprint', 'static-key'],
			default: 'tls-fingerprint',
			help: "tls-fingerprint (modern: pinned self-signed certificates + tls-crypt) or static-key (the guide's deprecated `secret` file)",
		},
		{name: 'serverPublicAddress', type: 'hostname', help: "Public address of the server, as the client reaches it (the guide's <server_public_IP>)"},
		{name: 'port', type: 'port', default: '1195', help: 'Port of the link (the guide uses 1195)'},
		{name: 'proto', type: 'enum', choices: ['tcp', 'udp'], default: 'tcp', help: 'tcp (the guide: tcp-server / tcp-client) or udp'},
		{name: 'serverTunnelIp', type: 'ipv4', default: '10.0.0.10', help: 'Server end of the tunnel; pick addresses no private network here uses'},
		{name: 'clientTunnelIp', type: 'ipv4', default: '10.0.0.5', help: 'Client end of the tunnel'},
		{name: 'routeTableId', type: 'string', default: '1', help: "Number of the server's routing table (the guide uses table 1)"},
		{name: 'routeTableName', type: 'string', default: 'mistio', help: 'Name for that table in /etc/iproute2/rt_tables.d'},
		{name: 'privateInterface', type: 'string', default: 'eth0', help: "The client's interface into the private network (NAT goes out there)"},
		{
			name: 'nginx',
			type: 'boolean',
			default: false,
			help: "Put nginx with HTTP basic auth in front of mist.io on the server (the guide's optional part; stops HAProxy)",
		},
		{
			name: 'mistioDir',
			type: 'path',
			default: '/home/mist/mist.io',
			help: 'The mist.io checkout on the server (static files, bin/ with uwsgi, celery, cloudpy, python)',
		},
		{
			name: 'mistioBackend',
			type: 'string',
			default: '127.0.0.1:8001',
			help: "mist.io's uwsgi app, for nginx to pass requests to (host:port). Not :8000: that is the HAProxy the next step stops",
		},
		{name: 'mistioSocket', type: 'string', default: '127.0.0.1:8081', help: "mist.io's socket.io server, for nginx to pass /socket to (host:port)"},
		{name: 'authUser', type: 'string', default: 'admin', help: 'User name for nginx basic auth'},
		{
			name: 'authPassword',
			type: 'secret',
			optional: true,
			help: 'Password for nginx basic auth (asked once, never stored; only its salted hash reaches the server)',
		},
		{name: 'mistioUser', type: 'string', default: 'mist', help: 'User the mist.io unit runs as (it gets CAP_NET_ADMIN and CAP_NET_RAW, nothing else)'},
		{
			name: 'setcapOverride',
			type: 'boolean',
			default: false,
			help: "Run the guide's exact `setcap cap_net_admin,cap_net_raw=eip` on the binaries instead of the systemd unit (not recommended)",
		},
		vaultParam(),
	],
	secrets: p2pSecretSpecs('name'),
	validate(answers) {
		const errors: ParamError[] = [];
		const word = (field: string, pattern: RegExp, expected: string) => {
			const value = answerText(answers, field);
			if (!pattern.test(value)) {
				errors.push({field, message: `${field}: got ${JSON.stringify(value)}; expected ${expected}`});
			}
		};

		word('name', /^[a-z\d][\w-]{0,30}$/i, 'a short name of letters, digits, - and _, such as mistio');
		word('routeTableId', /^([1-9]\d?|1\d\d|2[0-4]\d|25[0-2])$/, 'a table number from 1 to 252');
		word('routeTableName', /^[a-z][\w-]{0,30}$/i, 'a word such as mistio');
		word('privateInterface', /^[\w.-]{1,15}$/, 'an interface name such as eth0');
		word('mistioBackend', /^[\w.-]+:\d{1,5}$/, 'host:port such as 127.0.0.1:8001');
		word('mistioSocket', /^[\w.-]+:\d{1,5}$/, 'host:port such as 127.0.0.1:8081');
		word('authUser', /^[\w.@-]{1,64}$/, 'a user name of letters, digits and ._@-');
		word('mistioUser', /^[a-z_][\w-]{0,31}$/, 'a system user name such as mist');
		if (answerText(answers, 'serverTunnelIp') === answerText(answers, 'clientTunnelIp')) {
			errors.push({field: 'clientTunnelIp', message: 'clientTunnelIp: must differ from serverTunnelIp (the two ends of the tunnel)'});
		}

		if (answers['nginx'] === true && answerText(answers, 'authPassword') === '') {
			errors.push({field: 'authPassword', message: 'authPassword: nginx basic auth needs a password; give it in the form or the answers file'});
		}

		return errors;
	},
	notDoneHere: openvpnP2pNotDoneHere,
	steps: [
		openvpnInstallStep({id: 'server-openvpn', role: 'server', why: installWhy}),
		keysStep('server'),
		configStep('server'),
		policyRoutingStep({
			id: 'server-routing',
			role: 'server',
			wizard: id,
			params: ['name', 'serverTunnelIp', 'clientTunnelIp', 'routeTableId', 'routeTableName'],
			routing: ctx => ({
				tableId: answerText(ctx.answers, 'routeTableId'),
				tableName: answerText(ctx.answers, 'routeTableName'),
				from: answerText(ctx.answers, 'serverTunnelIp'),
				via: answerText(ctx.answers, 'clientTunnelIp'),
				device: 'tun0',
				upScript: upScript(ctx),
				upScriptText: renderUpScript(ctx),
			}),
		}),
		openvpnServiceStep({
			id: 'server-service',
			role: 'server',
			kind: 'server',
			name: answers => answerText(answers, 'name'),
			params: ['name'],
			why:
				'The guide starts `service openvpn start` (or `… start tun0`). Today each config has its own unit: openvpn-server@NAME ' +
				'for /etc/openvpn/server/NAME.conf, enabled so it comes back after a reboot.',
		}),
		nginxBasicAuthStep({id: 'server-nginx', role: 'server', wizard: id}),
		haproxyStopStep({id: 'server-haproxy', role: 'server'}),
		capabilitiesStep({id: 'server-capabilities', role: 'server', wizard: id}),
		openvpnInstallStep({
			id: 'client-openvpn',
			role: 'client',
			// A minimal image has no iptables, and the NAT step below needs it.
			extraPackages: ['iptables'],
			why: `${installWhy} The client also gets iptables for the guide's MASQUERADE rule: a minimal image has none.`,
		}),
		keysStep('client'),
		configStep('client'),
		ipForwardingStep({
			id: 'client-forwarding',
			role: 'client',
			wizard: id,
			why:
				'The guide turns forwarding on with `echo 1 | tee -a /proc/sys/net/ipv4/ip_forward`, which is lost at ' +
				'the next boot. Here it goes into /etc/sysctl.d/90-waymark-openvpn-p2p.conf and is set now from that ' +
				'file.',
		}),
		iptablesAppendStep({
			id: 'client-masquerade',
			title: 'NAT from the tunnel into the private network',
			why:
				'The guide adds `iptables -t nat -A POSTROUTING -o <private_network_interface> -j MASQUERADE` so traffic ' +
				"from the server reaches private hosts with the client's address and their replies come back. `-A` twice " +
				'would duplicate the rule, so it is checked with `-C` first, and saved to /etc/iptables/rules.v4 for ' +
				'the next boot.',
			role: 'client',
			params: ['privateInterface'],
			interfaceParam: 'privateInterface',
			rules: ctx => [{table: 'nat', rule: `-A POSTROUTING -o ${answerText(ctx.answers, 'privateInterface')} -j MASQUERADE`}],
		}),
		openvpnServiceStep({
			id: 'client-service',
			role: 'client',
			kind: 'client',
			name: answers => answerText(answers, 'name'),
			params: ['name'],
			why:
				'The guide ends with "Start the OpenVPN service and you are all set". The client config runs under openvpn-client@NAME, ' +
				'enabled for the next boot, started after forwarding and NAT are in place.',
		}),
	],
};
