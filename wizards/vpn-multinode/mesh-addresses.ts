// Address arithmetic the mesh topology needs: IPv4/IPv6 networks, membership and overlap.
import {BlockList, isIP} from 'node:net';
import {isCidr, isIpv4} from '../../source/engine/params.js';

export type Family = 'ipv4' | 'ipv6';

export interface Network {
	readonly address: string;
	readonly prefix: number;
	readonly family: Family;
}

/** An IPv4 or IPv6 network in CIDR form, or undefined when the text is not one. */
export function parseNetwork(text: string): Network | undefined {
	const match = /^([\da-fA-F.:]+)\/(\d{1,3})$/.exec(text);
	if (!match) {
		return undefined;
	}

	const [, address = '', prefixText = ''] = match;
	const prefix = Number(prefixText);
	if (isCidr(text)) {
		return {address, prefix, family: 'ipv4'};
	}

	return isIP(address) === 6 && prefix <= 128 ? {address, prefix, family: 'ipv6'} : undefined;
}

function ipv4Number(address: string): number {
	return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

function ipv4Text(value: number): string {
	return [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The network address of an IPv4 CIDR, e.g. 10.42.42.0 for 10.42.42.7/24. */
export function ipv4NetworkAddress(network: Network): string {
	const size = 2 ** (32 - network.prefix);
	return ipv4Text(Math.floor(ipv4Number(network.address) / size) * size);
}

/** The last (broadcast) address of an IPv4 CIDR. */
export function ipv4BroadcastAddress(network: Network): string {
	return ipv4Text(ipv4Number(ipv4NetworkAddress(network)) + 2 ** (32 - network.prefix) - 1);
}

function blockOf(network: Network): BlockList {
	const list = new BlockList();
	list.addSubnet(network.address, network.prefix, network.family);
	return list;
}

/** Whether an address lies inside a network of the same family. */
export function contains(network: Network, address: string): boolean {
	const family = isIpv4(address) ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : undefined;
	return family === network.family && blockOf(network).check(address, family);
}

// Two CIDR blocks either nest or are disjoint, so each containing the other's base address is the whole test.
export function overlaps(first: Network, second: Network): boolean {
	return first.family === second.family && (contains(first, second.address) || contains(second, first.address));
}
