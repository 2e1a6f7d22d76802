// Which hosts a mesh config was written for, so a later run keeps working keys instead of replacing them.
import {header} from '../common/plan-helpers.js';
import {meshHosts, type Topology} from './mesh-topology.js';

/**
 * A line every mesh config carries. A new run makes new secrets, but a host whose config names the same hosts keeps
 * its key material: every host of an unchanged mesh keeps its own, so the mesh stays whole and a re-run changes
 * nothing. A host added or removed changes the line on every host, and then all of them take this run's secrets.
 */
export function membersLine(topology: Topology): string {
	return `# mesh hosts: ${meshHosts(topology)
		.map(host => host.hostname)
		.sort()
		.join(' ')}`;
}

/** Whether an existing config may keep its key material. */
export function mayKeepKeys(existing: string | null, topology: Topology): existing is string {
	return existing !== null && !topology.rekey && existing.split('\n').includes(membersLine(topology));
}

/** The first lines of every mesh config Waymark writes. */
export function meshConfigHead(step: string, topology: Topology): string[] {
	return [header('vpn-multinode', step), membersLine(topology)];
}
