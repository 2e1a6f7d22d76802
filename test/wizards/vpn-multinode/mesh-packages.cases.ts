// mesh-packages as data: wireguard-go only without the kernel module, iproute2 for wg-quick, no Recommends.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {controllerTarget, guideAnswers, peervpnAnswers, scriptOf} from './fixtures.js';
import {bound, type MeshTable, offlineAsia, offlineBindings} from './mesh-cases.js';

const installed = (...names: string[]) => names.map(name => `ii \t${name}\t\n`).join('');
const tools = ['iproute2', 'iptables', 'iputils-ping'];
const all = installed('wireguard-tools', 'wireguard-go', ...tools);

export const meshPackagesCases: CaseTable = {
	wizard: bound(),
	step: 'mesh-packages-controller',
	answers: guideAnswers,
	target: controllerTarget,
	cases: [
		{
			name: 'no kernel module: wireguard-go too, without Recommends (no kernel image)',
			facts: {apt: '/usr/bin/apt-get\n', installed: installed('iptables'), support: 'userspace\n'},
			expected: ['command apt-get install wireguard-tools wireguard-go iproute2 iputils-ping'],
			notes: [/^Missing: wireguard-tools, wireguard-go, iproute2, iputils-ping\.$/],
			after: {installed: all},
			also(plan) {
				const script = scriptOf(plan, 'apt-get install wireguard-tools wireguard-go iproute2 iputils-ping');
				assert.match(script, /^apt-get .* install -y -q --no-install-recommends .* wireguard-tools wireguard-go iproute2 iputils-ping$/m);
			},
		},
		{
			name: 'the kernel has the module: wireguard-tools alone',
			facts: {apt: '/usr/bin/apt-get\n', installed: installed(...tools), support: 'kernel\n'},
			expected: ['command apt-get install wireguard-tools'],
			after: {installed: installed('wireguard-tools', ...tools)},
		},
		{
			name: 'all there: nothing to do',
			facts: {apt: '', installed: installed('wireguard-tools', ...tools), support: 'kernel\n'},
			expected: 'noop',
			notes: [/^Already installed: wireguard-tools, iproute2, iptables, iputils-ping\.$/],
		},
		{
			name: 'PeerVPN: only the tools (nothing of PeerVPN is packaged)',
			answers: peervpnAnswers,
			facts: {apt: '/usr/bin/apt-get\n', installed: '', support: ''},
			expected: ['command apt-get install iproute2 iptables iputils-ping'],
			after: {installed: installed(...tools)},
		},
		{
			name: 'no apt-get: the missing packages are named',
			facts: {apt: {text: '', exitCode: 1}, installed: {text: '', exitCode: 127}, support: 'kernel\n'},
			expected: {throws: /ssh:vpn has no apt-get: install wireguard-tools, iproute2, iptables, iputils-ping/},
		},
	],
};

export const meshPackagesOfflineCases: MeshTable = {
	wizard: bound(offlineBindings),
	step: 'mesh-packages-node',
	answers: guideAnswers,
	target: offlineAsia,
	cases: [
		{
			name: 'an offline image: the install is planned and waits for the live host (no apt-get to ask there)',
			facts: {apt: {unavailable: true}, installed: {unavailable: true}, support: {unavailable: true}},
			expected: ['command apt-get install wireguard-tools wireguard-go iproute2 iptables iputils-ping'],
			judged: {kind: 'deferred', message: /1 command\(s\) wait for the live host: apt-get install wireguard-tools/},
		},
	],
};
