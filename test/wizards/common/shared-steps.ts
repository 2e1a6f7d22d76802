// The shared steps on their own, configured as the guides configure them, for the tables that try each one apart
// from any guide's other steps and answers.
import type {Wizard} from '../../../source/engine/types.js';
import {openvpnVersionDef} from '../../../source/facts/openvpn.js';
import {ipForwardingStep} from '../../../wizards/common/ip-forwarding.js';
import {iptablesAppendStep} from '../../../wizards/common/iptables-append.js';
import {needsStaticOverride, openvpnInstallStep} from '../../../wizards/common/openvpn-install.js';
import {openvpnServiceStep} from '../../../wizards/common/openvpn-service.js';
import {restartIfRunning} from '../../../wizards/common/openvpn-service.js';
import {wantedFilesStep} from '../../../wizards/common/wanted-files.js';

export const masquerade = {table: 'nat', rule: '-A POSTROUTING -o eth1 -j MASQUERADE'} as const;

export const tunnelKey = '-----BEGIN OpenVPN Static key V1-----\n00\n-----END OpenVPN Static key V1-----\n';

export const sharedSteps: Wizard = {
	id: 'shared-steps',
	title: 'The shared steps',
	guide: '',
	summary: 'Each shared step once, as a guide configures it.',
	roles: ['node'],
	params: [],
	steps: [
		iptablesAppendStep({id: 'nat', title: 'NAT', why: 'test', role: 'node', rules: () => [masquerade]}),
		ipForwardingStep({id: 'forwarding', role: 'node', wizard: 'shared-steps', why: 'test'}),
		openvpnInstallStep({id: 'openvpn', role: 'node', extraPackages: ['iptables'], why: 'test'}),
		openvpnServiceStep({id: 'tunnel', role: 'node', kind: 'server', name: () => 'office', why: 'test'}),
		wantedFilesStep({
			id: 'tunnel-files',
			title: 'Tunnel config and key',
			why: 'test',
			role: 'node',
			// The config depends on the OpenVPN version, as openvpn-p2p's does: 2.7 needs the static-key override.
			extraFacts: {'openvpn-version': openvpnVersionDef()},
			files: (_ctx, facts) => [
				{
					path: '/etc/openvpn/server/office.conf',
					content: `dev tun0\nsecret office.key\n${needsStaticOverride(facts?.['openvpn-version']?.version) ? 'allow-deprecated-insecure-static-crypto\n' : ''}`,
				},
				{path: '/etc/openvpn/server/office.key', content: tunnelKey, secret: true},
			],
			afterChange: () => [restartIfRunning('server', 'office')],
		}),
	],
};
