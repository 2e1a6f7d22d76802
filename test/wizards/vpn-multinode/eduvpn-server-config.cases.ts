// eduvpn-server-config as data: the guide's command once per node and profile; deferred with what to install
// where eduVPN's node tools are missing (eduVPN is not in Debian), never ok and never failed.
import assert from 'node:assert/strict';
import {summary} from '../step-harness.js';
import {guideAnswers, nodeTargets} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

const asia = nodeTargets[1]!;
const tool = '/usr/sbin/vpn-server-node-server-config\n';

export const eduvpnServerConfigCases: MeshTable = {
	wizard: bound(),
	step: 'eduvpn-server-config',
	answers: guideAnswers,
	target: asia,
	cases: [
		{
			name: "the guide's command for this node's profile",
			facts: {tool, configs: ''},
			expected: ['command vpn-server-node-server-config for profile asia'],
			after: {configs: 'vpn.example-asia-0.conf\n'},
			also: plan =>
				assert.deepEqual(summary(plan), [
					[
						'command vpn-server-node-server-config for profile asia',
						'vpn-server-node-server-config --instance vpn.example --profile asia --generate --cn asia01.vpn.example',
					],
				]),
		},
		{
			name: 'a config for the profile exists: not generated again (--generate makes a new certificate each time)',
			facts: {tool, configs: 'vpn.example-asia-0.conf\n'},
			expected: 'noop',
			notes: [/^Profile asia already has its OpenVPN server config\.$/],
		},
		{
			name: "another profile's config is not this one's",
			facts: {tool, configs: 'vpn.example-europe-0.conf\n'},
			expected: ['command vpn-server-node-server-config for profile asia'],
			after: {configs: 'vpn.example-europe-0.conf\nvpn.example-asia-0.conf\n'},
		},
		{
			name: 'without the node tools: deferred with the reason and what to install',
			facts: {tool: {text: '', exitCode: 1}, configs: ''},
			expected: {unmet: 'deferred', reason: /vpn-server-node-server-config is not installed on ssh:asia .*not in Debian's archive/},
			judged: {
				kind: 'deferred',
				message: /vpn-server-node-server-config is not installed on ssh:asia .*not in Debian's archive/,
				remedy: /Install eduVPN's vpn-server-node .*--profile asia --generate/,
			},
		},
	],
};

export const eduvpnServerConfigOfflineCases: MeshTable = {
	wizard: bound(offlineBindings),
	step: 'eduvpn-server-config',
	answers: guideAnswers,
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image cannot say whether the tools are there: it waits for the live host',
			facts: {tool: {unavailable: true}, configs: {unavailable: true}},
			expected: {unmet: 'deferred', reason: /^Offline target: profile asia's OpenVPN config is generated when the wizard runs against the live host\.$/},
			judged: {kind: 'deferred', remedy: /against the live host/},
		},
	],
};
