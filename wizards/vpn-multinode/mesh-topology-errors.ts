// Cross-field checks of the topology, each error naming the field to fix; nothing runs while any is left.
import {isIP} from 'node:net';
import {answerList, answerText, isIpv4} from '../../source/engine/params.js';
import type {Answers, ParamError} from '../../source/engine/types.js';
import {contains, ipv4BroadcastAddress, ipv4NetworkAddress, type Network, overlaps, parseNetwork} from './mesh-addresses.js';
import {meshHosts, readTopology} from './mesh-topology.js';

const hostnamePattern = /^(?=.{1,253}$)(?!-)[a-z\d-]{1,63}(?<!-)(\.(?!-)[a-z\d-]{1,63}(?<!-))*$/i;
// eduVPN profile ids are used in file and unit names: lowercase letters and digits.
const profileIdPattern = /^[a-z][a-z\d]{0,31}$/;
// Linux interface names: at most 15 characters, nothing a shell or a path would read as structure.
const interfacePattern = /^[\w=+.-]{1,15}$/;

/** The first value that appears twice in a list, if any. */
function firstDuplicate(values: readonly string[]): string | undefined {
	return values.find((value, index) => values.indexOf(value) !== index);
}

export function topologyErrors(answers: Answers): ParamError[] {
	const errors: ParamError[] = [];
	const fail = (field: string, message: string) => errors.push({field, message: `${field}: ${message}`});
	const topology = readTopology(answers);
	const count = topology.nodes.length;
	if (count === 0) {
		fail('nodeNames', 'is empty; expected at least one node, e.g. europe asia');
	}

	for (const field of ['nodeHostnames', 'nodePublicIps', 'nodeMeshIps', 'ranges'] as const) {
		if (answerList(answers, field).length !== count) {
			fail(field, `lists ${answerList(answers, field).length} value(s) but nodeNames lists ${count}; expected one per node, in the same order`);
		}
	}

	for (const field of ['ranges6', 'managementIps', 'profileNumbers'] as const) {
		const length = answerList(answers, field).length;
		if (length !== 0 && length !== count) {
			fail(field, `lists ${length} value(s) but nodeNames lists ${count}; expected one per node, or none for the default`);
		}
	}

	for (const name of topology.nodes.map(node => node.name)) {
		if (!profileIdPattern.test(name)) {
			fail('nodeNames', `${JSON.stringify(name)} is not a profile id; expected lowercase letters and digits, starting with a letter, such as europe`);
		}
	}

	const mesh = parseNetwork(answerText(answers, 'meshNetwork'));
	if (mesh?.family === 'ipv4' && ipv4NetworkAddress(mesh) !== mesh.address) {
		fail('meshNetwork', `${mesh.address}/${mesh.prefix} is not a network address; expected ${ipv4NetworkAddress(mesh)}/${mesh.prefix}`);
	}

	const hosts = meshHosts(topology);
	for (const host of hosts) {
		const field = host.role === 'controller' ? 'controllerMeshIp' : 'nodeMeshIps';
		if (host.meshIp === '' || !mesh) {
			continue;
		}

		if (!contains(mesh, host.meshIp) || host.meshIp === ipv4NetworkAddress(mesh) || host.meshIp === ipv4BroadcastAddress(mesh)) {
			fail(field, `${host.meshIp} is not a host address inside meshNetwork ${mesh.address}/${mesh.prefix}`);
		}
	}

	const duplicateMeshIp = firstDuplicate(hosts.map(host => host.meshIp).filter(Boolean));
	if (duplicateMeshIp) {
		fail('nodeMeshIps', `${duplicateMeshIp} is given to two hosts; every host needs its own mesh address`);
	}

	const duplicatePublicIp = firstDuplicate(hosts.map(host => host.publicIp).filter(Boolean));
	if (duplicatePublicIp) {
		fail('nodePublicIps', `${duplicatePublicIp} is given to two hosts; the mesh needs one public address per host`);
	}

	for (const hostname of hosts.map(host => host.hostname).filter(Boolean)) {
		if (!hostnamePattern.test(hostname)) {
			fail(
				hostname === topology.controller.hostname ? 'controllerHostname' : 'nodeHostnames',
				`${JSON.stringify(hostname)} is not a host name; expected a name such as europe.vpn.example`,
			);
		}
	}

	const duplicateHostname = firstDuplicate(hosts.map(host => host.hostname.toLowerCase()).filter(Boolean));
	if (duplicateHostname) {
		fail('nodeHostnames', `${duplicateHostname} is given to two hosts; every host needs its own name`);
	}

	const duplicateName = firstDuplicate(topology.nodes.map(node => node.name));
	if (duplicateName) {
		fail('nodeNames', `${duplicateName} appears twice; every node serves its own profile`);
	}

	checkProfileNumbers(answers, fail);
	checkRanges(answers, 'ranges', 'ipv4', mesh, fail);
	checkRanges(answers, 'ranges6', 'ipv6', undefined, fail);
	// Without managementIps each node's mesh address is used, and that one is already checked.
	for (const node of answerList(answers, 'managementIps').length === 0 ? [] : topology.nodes) {
		if (mesh && node.managementIp !== '' && !contains(mesh, node.managementIp)) {
			fail(
				'managementIps',
				`${node.managementIp} (node ${node.name}) is outside the mesh ${mesh.address}/${mesh.prefix}; the controller ` +
					`reaches a node's OpenVPN management port across the mesh`,
			);
		} else if (node.managementIp !== node.meshIp && node.meshIp !== '') {
			fail(
				'managementIps',
				`${node.managementIp} (node ${node.name}) is not that node's mesh address ${node.meshIp}; leave managementIps empty to use the mesh addresses`,
			);
		}
	}

	for (const server of topology.dns) {
		if (isIP(server) === 0) {
			fail('dns', `${JSON.stringify(server)} is not an IPv4 or IPv6 address`);
		}
	}

	for (const field of ['extIf', 'wireguardInterface'] as const) {
		if (!interfacePattern.test(answerText(answers, field))) {
			fail(
				field,
				`${JSON.stringify(answerText(answers, field))} is not an interface name; expected up to 15 letters, ` +
					`digits or ._-, such as ${field === 'extIf' ? 'eth0' : 'wg-mesh'}`,
			);
		}
	}

	if (!/^[\w.-]{1,64}$/.test(topology.networkName)) {
		fail('networkName', `${JSON.stringify(topology.networkName)} is not a PeerVPN network name; expected letters, digits or ._-, such as VPN`);
	}

	return errors;
}

function checkProfileNumbers(answers: Answers, fail: (field: string, message: string) => void): void {
	const numbers = answerList(answers, 'profileNumbers');
	for (const number of numbers) {
		if (!/^[1-9]\d{0,2}$/.test(number)) {
			fail('profileNumbers', `${JSON.stringify(number)} is not a profile number; expected a whole number from 1 to 999`);
		}
	}

	const duplicate = firstDuplicate(numbers.map(Number).map(String));
	if (duplicate) {
		fail('profileNumbers', `${duplicate} appears twice; every profile needs its own number (it picks ports and tun devices)`);
	}
}

/** Client ranges: valid CIDRs of the right family, apart from each other and from the mesh. */
function checkRanges(
	answers: Answers,
	field: string,
	family: 'ipv4' | 'ipv6',
	mesh: Network | undefined,
	fail: (field: string, message: string) => void,
): void {
	const networks: Network[] = [];
	for (const text of answerList(answers, field)) {
		const network = parseNetwork(text);
		if (!network || network.family !== family) {
			fail(field, `${JSON.stringify(text)} is not an ${family === 'ipv4' ? 'IPv4 network such as 10.0.0.0/24' : 'IPv6 network such as fd00:4242:4242::/48'}`);
			continue;
		}

		if (family === 'ipv4' && isIpv4(network.address) && ipv4NetworkAddress(network) !== network.address) {
			fail(field, `${text} is not a network address; expected ${ipv4NetworkAddress(network)}/${network.prefix}`);
		}

		const clash = networks.find(other => overlaps(other, network));
		if (clash) {
			fail(field, `${text} overlaps ${clash.address}/${clash.prefix}; every profile needs a range of its own`);
		}

		if (mesh && overlaps(mesh, network)) {
			fail(field, `${text} overlaps the mesh ${mesh.address}/${mesh.prefix}`);
		}

		networks.push(network);
	}
}
