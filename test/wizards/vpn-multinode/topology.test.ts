// The topology as data: answers changed from the guide's, and the fields whose errors name the problem. Nothing
// runs while any is left, so this table is what stands between a bad topology and the hosts.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resolveAnswers} from '../../../source/engine/params.js';
import {vpnMultinode} from '../../../wizards/vpn-multinode/index.js';
import {guideAnswers} from './fixtures.js';

// Each row: answers changed from the guide's topology, and the fields whose errors name the problem.
const topologies: Array<[string, Record<string, unknown>, string[]]> = [
	["the guide's topology, managementIp on the mesh", {}, []],
	[
		'one node is enough',
		{
			nodeNames: ['europe'],
			nodeHostnames: ['europe.vpn.example'],
			nodePublicIps: ['192.0.2.55'],
			nodeMeshIps: ['10.42.42.2'],
			ranges: ['10.0.0.0/24'],
			ranges6: [],
		},
		[],
	],
	['explicit managementIps and profileNumbers', {managementIps: ['10.42.42.2', '10.42.42.3'], profileNumbers: ['1', '7']}, []],
	['overlapping ranges', {ranges: ['10.0.0.0/16', '10.0.1.0/24']}, ['ranges']],
	['overlapping range6', {ranges6: ['fd00:4242::/32', 'fd00:4242:4243::/48']}, ['ranges6']],
	['a range inside the mesh', {ranges: ['10.42.42.0/25', '10.20.30.0/24']}, ['ranges']],
	['duplicate profile numbers', {profileNumbers: ['1', '1']}, ['profileNumbers']],
	['duplicate mesh addresses', {nodeMeshIps: ['10.42.42.2', '10.42.42.2']}, ['nodeMeshIps']],
	["a node on the controller's mesh address", {nodeMeshIps: ['10.42.42.1', '10.42.42.3']}, ['nodeMeshIps']],
	['duplicate public addresses', {nodePublicIps: ['192.0.2.55', '192.0.2.55']}, ['nodePublicIps']],
	['duplicate hostnames', {nodeHostnames: ['europe.vpn.example', 'europe.vpn.example']}, ['nodeHostnames']],
	['duplicate profile ids', {nodeNames: ['europe', 'europe']}, ['nodeNames']],
	["the guide's managementIp outside the mesh", {managementIps: ['10.10.10.2', '10.10.10.3']}, ['managementIps']],
	['a managementIp of another node', {managementIps: ['10.42.42.3', '10.42.42.2']}, ['managementIps']],
	['a mesh address outside the mesh', {nodeMeshIps: ['10.42.43.2', '10.42.42.3']}, ['nodeMeshIps']],
	["the mesh's broadcast address", {nodeMeshIps: ['10.42.42.255', '10.42.42.3']}, ['nodeMeshIps']],
	['a CIDR with a prefix past 32', {ranges: ['10.0.0.0/33', '10.20.30.0/24']}, ['ranges']],
	['a range that is not a network address', {ranges: ['10.0.0.7/24', '10.20.30.0/24']}, ['ranges']],
	['an IPv6 range in ranges', {ranges: ['fd00::/48', '10.20.30.0/24']}, ['ranges']],
	['a bad mesh network', {meshNetwork: '10.42.42.0/40'}, ['meshNetwork']],
	['a mesh network that is not a network address', {meshNetwork: '10.42.42.1/24'}, ['meshNetwork']],
	['lists of different lengths', {nodePublicIps: ['192.0.2.55']}, ['nodePublicIps']],
	['a profile id with capitals', {nodeNames: ['Europe', 'asia']}, ['nodeNames']],
	['a bad interface name', {wireguardInterface: 'a-very-long-interface-name'}, ['wireguardInterface']],
	['a DNS server that is not an address', {dns: ['dns.example']}, ['dns']],
];

for (const [name, change, fields] of topologies) {
	test(`topology: ${name} → ${fields.length === 0 ? 'valid' : fields.join(', ')}`, () => {
		const {errors, missing} = resolveAnswers(vpnMultinode, {...guideAnswers, ...change});
		assert.deepEqual(missing, []);
		assert.deepEqual([...new Set(errors.map(error => error.field))], fields, JSON.stringify(errors));
		for (const error of errors) {
			assert.ok(error.message.startsWith(`${error.field}: `), `the message names the field: ${error.message}`);
		}
	});
}
