// A three-host topology (the guide's, with managementIp on the mesh), step contexts for each of its hosts, and plan readers.
import {MemoryVault} from '../../../source/engine/memory-vault.js';
import assert from 'node:assert/strict';
import {resolveAnswers} from '../../../source/engine/params.js';
import type {CommandAction, FileAction, Plan, StepContext, TargetInfo} from '../../../source/engine/types.js';
import {vpnMultinode} from '../../../wizards/vpn-multinode/index.js';

export const guideAnswers = {
	controllerHostname: 'vpn.example',
	controllerPublicIp: '192.0.2.10',
	nodeNames: ['europe', 'asia'],
	nodeHostnames: ['europe.vpn.example', 'asia.vpn.example'],
	nodePublicIps: ['192.0.2.55', '192.0.2.66'],
	nodeMeshIps: ['10.42.42.2', '10.42.42.3'],
	ranges: ['10.0.0.0/24', '10.20.30.0/24'],
	ranges6: ['fd00:4242:4242::/48', 'fd00:4445:4647::/48'],
};

export const controllerTarget: TargetInfo = {kind: 'ssh', label: 'ssh:vpn'};
export const nodeTargets: TargetInfo[] = [
	{kind: 'ssh', label: 'ssh:europe'},
	{kind: 'ssh', label: 'ssh:asia'},
];

/** Contexts for the controller and each node, sharing answers and secrets as one run would. */
export function hostContexts(answers: Record<string, unknown>, secrets: ReadonlyMap<string, string>, nodes = nodeTargets): StepContext[] {
	const resolved = resolveAnswers(vpnMultinode, answers);
	if (resolved.errors.length > 0 || resolved.missing.length > 0) {
		throw new Error(`bad test answers: ${JSON.stringify(resolved.errors)} ${resolved.missing.map(param => param.name).join(', ')}`);
	}

	const bindings = {controller: [controllerTarget], node: nodes};
	return [controllerTarget, ...nodes].map(target => ({answers: resolved.answers, target, bindings, secrets}));
}

/** This run's secrets, made the way the runner makes them. */
export async function runSecrets(answers: Record<string, unknown>): Promise<Map<string, string>> {
	const resolved = resolveAnswers(vpnMultinode, answers);
	const secrets = new Map<string, string>();
	for (const spec of vpnMultinode.secrets ?? []) {
		secrets.set(spec.name, await spec.generate(resolved.answers, new MemoryVault()));
	}

	return secrets;
}

/** The other answers of the guide's topology on the PeerVPN mesh. */
export const peervpnAnswers = {...guideAnswers, mesh: 'peervpn'};

/** The hosts as the three targets see them: controller, europe, asia. */
export const hostnames = ['vpn.example', 'europe.vpn.example', 'asia.vpn.example'] as const;

/** The one file a plan writes. */
export function writtenFile(plan: Plan): FileAction {
	const files = plan.actions.filter((action): action is FileAction => action.kind === 'file');
	assert.equal(files.length, 1, 'the plan writes one file');
	return files[0]!;
}

/** The script of the plan's command with this title. */
export function scriptOf(plan: Plan, title: string): string {
	const found = plan.actions.find((action): action is CommandAction => action.kind === 'command' && action.title === title);
	assert.ok(found, `a command ${title}`);
	return found.script;
}
