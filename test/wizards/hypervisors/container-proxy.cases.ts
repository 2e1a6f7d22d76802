// container-proxy as data: the loopback alias as a /32 kept by ifupdown, netplan or a unit, and a socket proxy to the
// relay port; without systemd nothing starts the socket, so the step waits.
import assert from 'node:assert/strict';
import {proxyUnitTexts} from '../../../wizards/hypervisors/container-proxy.js';
import type {CaseTable} from '../cases.js';
import {answers, boundHypervisors, caseContext, fileAt, scriptOf, secrets} from './fixtures.js';

const units = proxyUnitTexts(caseContext(), 'hypervisors');
const ifupdownPath = '/etc/network/interfaces.d/waymark-lo-maas';
const socketPath = '/etc/systemd/system/maas-container-proxy.socket';
const servicePath = '/etc/systemd/system/maas-container-proxy.service';
const stanza =
	'# Written by Waymark (hypervisors, step container-proxy). Edit the answers and run the wizard again rather than this file.\n' +
	'auto lo:0\niface lo:0 inet static\n\taddress 192.168.49.49/32\n';
const bare = '1: lo    inet 127.0.0.1/8 scope host lo\n';
const aliased = `${bare}1: lo    inet 192.168.49.49/32 scope global lo:0\n`;
const debian = {
	interfaces: 'source /etc/network/interfaces.d/*\n',
	'netplan-dir': null,
	ifupdown: null,
	netplan: null,
	unit: null,
	socket: null,
	service: null,
	lo: bare,
	systemd: 'yes',
	active: {text: 'inactive\n', exitCode: 3},
};
const addAlias = 'Add 192.168.49.49/32 to lo now';
const enable = 'Enable and start maas-container-proxy.socket';

export const containerProxyCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'container-proxy',
	answers,
	secrets,
	cases: [
		{
			name: 'ifupdown host: an interfaces.d stanza, the socket and its proxy, the address now, the socket started; converges',
			facts: debian,
			expected: [`file ${ifupdownPath}`, `file ${socketPath}`, `file ${servicePath}`, `command ${addAlias}`, `command ${enable}`],
			notes: [/kept by ifupdown/],
			after: {lo: aliased, active: 'active\n'},
			also: plan => {
				assert.equal(fileAt(plan, ifupdownPath).after, stanza);
				assert.equal(scriptOf(plan, addAlias), 'ip addr replace 192.168.49.49/32 dev lo label lo:0');
				assert.match(scriptOf(plan, enable), /systemctl enable maas-container-proxy\.socket/);
				assert.equal(fileAt(plan, socketPath).after, units.socket);
				assert.equal(fileAt(plan, servicePath).after, units.service);
			},
		},
		{
			name: 'netplan host: a netplan file (0600, as netplan wants)',
			facts: {...debian, interfaces: null, 'netplan-dir': ''},
			expected: ['file /etc/netplan/60-waymark-lo-maas.yaml', `file ${socketPath}`, `file ${servicePath}`, `command ${addAlias}`, `command ${enable}`],
			after: {lo: aliased, active: 'active\n'},
			also: plan => {
				const file = fileAt(plan, '/etc/netplan/60-waymark-lo-maas.yaml');
				assert.equal(file.mode, 0o600);
				assert.match(file.after, /addresses: \[192\.168\.49\.49\/32\]/);
			},
		},
		{
			name: 'neither: a oneshot unit keeps the address, enabled with the socket',
			facts: {...debian, interfaces: 'auto lo\niface lo inet loopback\n'},
			expected: [
				'file /etc/systemd/system/waymark-lo-maas.service',
				`file ${socketPath}`,
				`file ${servicePath}`,
				`command ${addAlias}`,
				'command Enable and start waymark-lo-maas.service, maas-container-proxy.socket',
			],
			notes: [/kept by a oneshot unit/],
			after: {lo: aliased, active: 'active\n'},
		},
		{
			name: 'all in place and the socket active',
			facts: {...debian, ifupdown: stanza, socket: units.socket, service: units.service, lo: aliased, active: 'active\n'},
			expected: 'noop',
			notes: [/Containers reach the MaaS at 192\.168\.49\.49:64443/],
		},
		{
			name: 'the same files on a host without systemd: nothing starts the socket, so the step is deferred, not ok',
			facts: {...debian, ifupdown: stanza, socket: units.socket, service: units.service, lo: aliased, systemd: 'no'},
			expected: {unmet: 'deferred', reason: /socket proxy for containers is written but nothing starts it/},
			notes: [/No systemd here: the socket proxy is written but not started/],
		},
	],
};
