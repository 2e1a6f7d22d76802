// server-routing as data: the table gets a name, the up script sets rule and route, and they are set now only with
// tun0 up (the route dies with tun0, so the up script is what makes them last).
import assert from 'node:assert/strict';
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {context, type FactValues, facts, step} from '../step-harness.js';
import {answers, fileAt, scriptOf, secrets} from './fixtures.js';

const tablesPath = '/etc/iproute2/rt_tables.d/waymark.conf';
const upPath = '/etc/openvpn/server/mistio/up.sh';
const routeNow = 'Route traffic from 10.0.0.10 via 10.0.0.5 (table mistio) now';
const tun0 = '5: tun0: <POINTOPOINT,UP>';
const unrouted = '0:\tfrom all lookup local\n';
const down: FactValues = {tables: null, up: null, device: '', rules: unrouted, routes: ''};

// The files as the first plan writes them, for the cases where they are already in place.
const first = step(openvpnP2p, 'server-routing').plan(context(openvpnP2p, answers, secrets), facts(down));
const written = {tables: fileAt(first, tablesPath).after, up: fileAt(first, upPath).after};
const routed = {rules: '32765:\tfrom 10.0.0.10 lookup mistio\n', routes: 'default via 10.0.0.5 dev tun0 \n'};

export const serverRoutingCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-routing',
	answers,
	secrets,
	cases: [
		{
			name: 'tun0 down: the table named and the up script written, nothing set now',
			facts: down,
			expected: [`file ${tablesPath}`, `file ${upPath}`],
			notes: [/tun0 is not up yet/],
			also: plan => {
				assert.match(fileAt(plan, tablesPath).after, /^1\tmistio$/m);
				const up = fileAt(plan, upPath);
				assert.equal(up.mode, 0o755);
				assert.match(up.after, /ip rule add from 10\.0\.0\.10 table 1/);
				assert.match(up.after, /ip route replace default via 10\.0\.0\.5 dev "\$\{1:-tun0\}" table 1/);
			},
		},
		{
			name: 'files in place, tun0 down: nothing to do until the tunnel comes up',
			facts: {...down, ...written},
			expected: 'noop',
			notes: [/the up script sets the rule and route when tun0 comes up/],
		},
		{
			name: 'files in place, tun0 up without the rule: the up script runs now',
			facts: {...down, ...written, device: tun0},
			expected: [`command ${routeNow}`],
			also: plan => assert.equal(scriptOf(plan, routeNow), `sh ${upPath} tun0`),
			after: routed,
		},
		{
			name: 'tun0 up with the rule and the route: nothing to do',
			facts: {...down, ...written, device: tun0, ...routed},
			expected: 'noop',
			notes: [/Traffic from 10\.0\.0\.10 uses table mistio/],
		},
		{
			name: 'another table already named in the file is kept, and the header written above it',
			facts: {...down, tables: '2\tother\n'},
			expected: [`file ${tablesPath}`, `file ${upPath}`],
			also: plan => assert.match(fileAt(plan, tablesPath).after, /^# Written by Waymark.*\n2\tother\n1\tmistio\n$/),
		},
		{
			name: 'offline image: the files are written, nothing is run and nothing said about tun0',
			target: {kind: 'root', label: 'root:/srv/image'},
			facts: {tables: null, up: null, device: {unavailable: true}, rules: {unavailable: true}, routes: {unavailable: true}},
			expected: [`file ${tablesPath}`, `file ${upPath}`],
			also: plan => assert.deepEqual(plan.notes, []),
		},
	],
};
