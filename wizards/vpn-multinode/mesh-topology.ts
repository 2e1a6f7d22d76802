// The multi-node VPN topology read from the answers: one controller and its nodes, and which one a step runs on.
import {StepFailure} from '../../source/engine/errors.js';
import {answerFlag, answerList, answerText} from '../../source/engine/params.js';
import type {Answers, StepContext} from '../../source/engine/types.js';
import {parseNetwork} from './mesh-addresses.js';

export type MeshKind = 'peervpn' | 'wireguard';

/** One host of the mesh; hosts are told apart by hostname. */
export interface MeshHost {
	readonly role: 'controller' | 'node';
	readonly hostname: string;
	readonly publicIp: string;
	readonly meshIp: string;
}

/** A node: one eduVPN profile (location) served from it. */
export interface Location extends MeshHost {
	readonly role: 'node';
	/** The profile id, e.g. `europe`. */
	readonly name: string;
	readonly profileNumber: number;
	readonly range: string;
	readonly range6: string;
	readonly managementIp: string;
}

export interface Topology {
	readonly mesh: MeshKind;
	readonly port: string;
	readonly meshNetwork: string;
	readonly meshPrefix: number;
	readonly networkName: string;
	readonly wireguardInterface: string;
	readonly controller: MeshHost;
	readonly nodes: readonly Location[];
	readonly dns: readonly string[];
	readonly extIf: string;
	/** Make new keys even where hosts already hold some. */
	readonly rekey: boolean;
}

/** The params the topology is read from, for steps' `params` lists. */
export const topologyParams = [
	'mesh',
	'meshPort',
	'meshNetwork',
	'networkName',
	'wireguardInterface',
	'controllerHostname',
	'controllerPublicIp',
	'controllerMeshIp',
	'nodeNames',
	'nodeHostnames',
	'nodePublicIps',
	'nodeMeshIps',
	'managementIps',
	'profileNumbers',
	'ranges',
	'ranges6',
	'dns',
	'extIf',
	'rekey',
] as const;

/** Reads the topology; lists of unequal length leave out the nodes they cannot describe (validation reports them). */
export function readTopology(answers: Answers): Topology {
	const names = answerList(answers, 'nodeNames');
	const meshIps = answerList(answers, 'nodeMeshIps');
	const hostnames = answerList(answers, 'nodeHostnames');
	const publicIps = answerList(answers, 'nodePublicIps');
	const ranges = answerList(answers, 'ranges');
	const ranges6 = answerList(answers, 'ranges6');
	const managementIps = answerList(answers, 'managementIps');
	const numbers = answerList(answers, 'profileNumbers');
	const nodes: Location[] = names.map((name, index) => ({
		role: 'node',
		name,
		hostname: hostnames[index] ?? '',
		publicIp: publicIps[index] ?? '',
		meshIp: meshIps[index] ?? '',
		profileNumber: Number(numbers[index] ?? index + 1),
		range: ranges[index] ?? '',
		range6: ranges6[index] ?? '',
		managementIp: managementIps[index] ?? meshIps[index] ?? '',
	}));
	const meshNetwork = answerText(answers, 'meshNetwork');
	return {
		mesh: answerText(answers, 'mesh') === 'peervpn' ? 'peervpn' : 'wireguard',
		port: answerText(answers, 'meshPort'),
		meshNetwork,
		meshPrefix: parseNetwork(meshNetwork)?.prefix ?? 24,
		networkName: answerText(answers, 'networkName'),
		wireguardInterface: answerText(answers, 'wireguardInterface'),
		controller: {
			role: 'controller',
			hostname: answerText(answers, 'controllerHostname'),
			publicIp: answerText(answers, 'controllerPublicIp'),
			meshIp: answerText(answers, 'controllerMeshIp'),
		},
		nodes,
		dns: answerList(answers, 'dns'),
		extIf: answerText(answers, 'extIf'),
		rekey: answerFlag(answers, 'rekey'),
	};
}

export function meshHosts(topology: Topology): MeshHost[] {
	return [topology.controller, ...topology.nodes];
}

/** Where a step runs in the topology: itself and every other host. */
export interface MeshPlace {
	readonly topology: Topology;
	readonly self: MeshHost;
	readonly peers: readonly MeshHost[];
}

/**
 * Maps the step's target to its host: the one controller target, or the node targets in the order of `nodeNames`.
 * Bindings are only known at run time, so a count that does not match fails here with the fix.
 */
export function placeOf(ctx: StepContext): MeshPlace {
	const topology = readTopology(ctx.answers);
	const controllers = ctx.bindings['controller'] ?? [];
	const nodeTargets = ctx.bindings['node'] ?? [];
	if (controllers.length !== 1) {
		throw new StepFailure(
			`The mesh has one controller, but ${controllers.length} targets are bound to the controller role.`,
			'Bind exactly one target with --target controller=SPEC.',
		);
	}

	if (nodeTargets.length !== topology.nodes.length) {
		throw new StepFailure(
			`nodeNames lists ${topology.nodes.length} node(s) (${topology.nodes.map(node => node.name).join(', ')}), ` +
				`but ${nodeTargets.length} target(s) are bound to the node role.`,
			'Bind one --target node=SPEC per entry of nodeNames, in the same order.',
		);
	}

	const index = nodeTargets.findIndex(target => target.label === ctx.target.label);
	const self = controllers[0]!.label === ctx.target.label ? topology.controller : topology.nodes[index];
	if (!self) {
		throw new StepFailure(
			`${ctx.target.label} is bound to neither the controller nor a node role.`,
			'Bind every host with --target controller=SPEC or --target node=SPEC.',
		);
	}

	return {topology, self, peers: meshHosts(topology).filter(host => host !== self)};
}

/** The place, or undefined when the bindings do not fit: fact requests must not throw, the plan says what is wrong. */
export function tryPlaceOf(ctx: StepContext): MeshPlace | undefined {
	try {
		return placeOf(ctx);
	} catch {
		return undefined;
	}
}

/** `10.42.42.2/24`: a host's mesh address with the mesh's prefix length, as PeerVPN's ifconfig4 and WireGuard's Address take it. */
export function meshAddress(topology: Topology, host: MeshHost): string {
	return `${host.meshIp}/${topology.meshPrefix}`;
}
