// The hypervisors the MaaS keeps a tunnel to: one per hypervisor target, named after it, reached at its endpoint.
import {answerList, answerText} from '../../source/engine/params.js';
import {parseTargetSpec} from '../../source/targets/spec.js';
import type {StepContext} from '../../source/engine/types.js';

export interface TunnelPeer {
	/** Safe for a unit instance and a Host alias, e.g. `hv2` or `192.168.1.10`. */
	readonly name: string;
	readonly host: string;
	readonly port: string;
}

/** The Host alias in the tunnel user's ssh config. */
export function tunnelAlias(name: string): string {
	return `hypervisor-${name}`;
}

export function tunnelUnit(name: string): string {
	return `autossh-tunnel@${name}.service`;
}

/** `tunnelEndpoints[i]` (HOST[:PORT] as the MaaS reaches hypervisor i) or else the hypervisor target's own host and port. */
export function tunnelPeers(ctx: StepContext): TunnelPeer[] {
	const endpoints = answerList(ctx.answers, 'tunnelEndpoints');
	return (ctx.bindings['hypervisor'] ?? []).map((target, index) => {
		const spec = parseTargetSpec(target.label).spec;
		const fromTarget = spec?.kind === 'ssh' ? `${spec.host}${spec.port ? `:${spec.port}` : ''}` : target.label;
		const [host = '', port = '22'] = (endpoints[index] ?? fromTarget).split(':');
		const name = (spec?.kind === 'ssh' ? spec.host : `hv${index + 1}`).replaceAll(/[^\w.-]/g, '-');
		return {name, host, port};
	});
}

/** The forward every tunnel asks for: the hypervisor's loopback port to the MaaS's own https port. */
export function remoteForward(ctx: StepContext): {listen: string; to: string} {
	return {listen: `127.0.0.1:${answerText(ctx.answers, 'relayPort')}`, to: `127.0.0.1:${answerText(ctx.answers, 'httpsPort')}`};
}
