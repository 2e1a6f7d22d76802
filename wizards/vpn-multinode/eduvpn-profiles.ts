// The controller's vpnProfiles, one profile per location, generated from the topology and parsed back before writing.
import {isDeepStrictEqual} from 'node:util';
import {Document, parse, parseDocument} from 'yaml';
import {StepFailure} from '../../source/engine/errors.js';
import {defineStep} from '../../source/engine/step.js';
import type {Check, Step} from '../../source/engine/types.js';
import {dirExists, fileText} from '../../source/facts/files.js';
import {header, noop, plan, waitsFor} from '../common/plan-helpers.js';
import {dnsCheckFacts, dnsChecks} from './mesh-checks.js';
import {type Location, placeOf, readTopology, type Topology, topologyParams} from './mesh-topology.js';

/** eduVPN 1.x keeps the instance's API settings here; the instance is the controller's hostname. */
export function apiConfigDir(instance: string): string {
	return `/etc/vpn-server-api/${instance}`;
}

/** Where the profiles go when eduVPN is not installed yet: ready to merge, and merged by a later run. */
export const standaloneProfilesPath = '/etc/waymark/vpn-multinode/vpn-profiles.yaml';

function displayName(node: Location): string {
	return `Internet Access (${node.name.charAt(0).toUpperCase()}${node.name.slice(1)})`;
}

/** The guide's "More Locations" profiles: each node its own profile, reached on its own hostname, managed across the mesh. */
export function vpnProfiles(topology: Topology): Record<string, Record<string, unknown>> {
	return Object.fromEntries(
		topology.nodes.map(node => [
			node.name,
			{
				profileNumber: node.profileNumber,
				displayName: displayName(node),
				extIf: topology.extIf,
				useNat: true,
				defaultGateway: true,
				hostName: node.hostname,
				range: node.range,
				...(node.range6 === '' ? {} : {range6: node.range6}),
				dns: [...topology.dns],
				useProxy: false,
				listen: '0.0.0.0',
				managementIp: node.managementIp,
			},
		]),
	);
}

/** The file with vpnProfiles set and every other key, comment and order kept; checked by parsing it back. */
export function withProfiles(before: string | null, profiles: Record<string, unknown>, path: string): string {
	const document = before === null ? new Document({}) : parseDocument(before);
	if (document.errors.length > 0) {
		throw new StepFailure(
			`${path} is not valid YAML (${document.errors[0]!.message.split('\n')[0]!}), so vpnProfiles cannot be merged into it.`,
			`Fix ${path} (or move it away), then retry the step.`,
		);
	}

	if (before === null) {
		document.commentBefore = ` ${header('vpn-multinode', 'eduvpn-profiles').slice(2)}`;
	}

	document.set('vpnProfiles', document.createNode(profiles));
	const after = document.toString({indent: 4});
	const back = (parse(after) as {vpnProfiles?: unknown} | null)?.vpnProfiles;
	if (!isDeepStrictEqual(back, profiles)) {
		throw new StepFailure(
			'The generated vpnProfiles did not read back as written.',
			'This is a bug in Waymark: nothing was written. Report it with the answers file.',
		);
	}

	return after;
}

export function currentProfiles(text: string | null): unknown {
	if (text === null) {
		return undefined;
	}

	const document = parseDocument(text);
	return document.errors.length > 0 ? undefined : (document.toJS() as {vpnProfiles?: unknown} | null)?.vpnProfiles;
}

export function eduvpnProfilesStep(role: string): Step {
	return defineStep({
		id: 'eduvpn-profiles',
		title: 'vpnProfiles on the controller (one profile per location)',
		why:
			'The guide adds one profile per location to /etc/vpn-server-api/vpn.example/config.yaml: its own profileNumber, hostName, range and range6, ' +
			"useProxy false (no SNI proxy on the nodes), listen 0.0.0.0, and the node's managementIp on the private mesh. " +
			"The profiles are generated from the topology checked before anything ran (the guide's own example puts managementIp outside its " +
			'10.42.42.0/24 mesh, which cannot work), merged keeping the rest of the file, and parsed back before writing. ' +
			"eduVPN is not in Debian's archive: without it (1.x) on the controller they are written to a file of their own, and the step is deferred " +
			'until eduVPN is there. ' +
			'Then: make sure the DNS entries work.',
		role,
		params: [...topologyParams],
		facts: ctx => {
			const topology = readTopology(ctx.answers);
			return {
				api: dirExists(apiConfigDir(topology.controller.hostname)),
				config: fileText(`${apiConfigDir(topology.controller.hostname)}/config.yaml`),
				standalone: fileText(standaloneProfilesPath),
				...dnsCheckFacts(topology),
			};
		},
		plan(ctx, facts) {
			const {topology} = placeOf(ctx);
			const installed = facts.api;
			const path = installed ? `${apiConfigDir(topology.controller.hostname)}/config.yaml` : standaloneProfilesPath;
			const before = installed ? facts.config : facts.standalone;
			const profiles = vpnProfiles(topology);
			const current = isDeepStrictEqual(currentProfiles(before), profiles);
			const planned = current
				? noop(`${path} already holds these ${topology.nodes.length} profile(s).`)
				: plan([{kind: 'file', path, before, after: withProfiles(before, profiles, path), mode: 0o644}]);
			if (installed) {
				return planned;
			}

			// eduVPN is not in Debian's archive: the profiles are kept ready, and the step says it waits, never ok.
			const api = apiConfigDir(topology.controller.hostname);
			return waitsFor(
				planned,
				`eduVPN is not installed on ${ctx.target.label} (no ${api}; it is not in Debian's archive): ` +
					`the ${topology.nodes.length} profile(s) wait in ${standaloneProfilesPath}.`,
				`Install eduVPN's vpn-server-api from eduVPN's own repository and run the wizard again: it merges them into ${api}/config.yaml (eduVPN 1.x). ` +
					'eduVPN 3 keeps profiles in /etc/vpn-user-portal/config.php (PHP): copy them there by hand, with per-node arrays for hostName, ranges and nodeUrl.',
			);
		},
		verify: (ctx, facts): Check[] => dnsChecks(readTopology(ctx.answers), facts),
	});
}
