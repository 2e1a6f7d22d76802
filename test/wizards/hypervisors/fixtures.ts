// What every hypervisors case table starts from: the wizard's required answers, the keys Waymark made, and the
// wizard bound as the guide lays it out (the MaaS on one host, two hypervisors, one on a non-standard ssh port).
import {MemoryVault} from '../../../source/engine/memory-vault.js';
import assert from 'node:assert/strict';
import type {Action, FileAction, Plan, Step, StepContext, TargetInfo, Wizard} from '../../../source/engine/types.js';
import {generateSshKey} from '../../../source/keys/ssh-key.js';
import {hypervisors, operatorKeySecret} from '../../../wizards/hypervisors/index.js';
import {maasTlsSecret} from '../../../wizards/hypervisors/maas-nginx.js';
import {tunnelKeySecret} from '../../../wizards/hypervisors/tunnel-client.js';
import {context} from '../step-harness.js';

export const operatorKey = await generateSshKey({comment: 'x'});
export const tunnelKey = await generateSshKey({comment: 'y'});
const tls = await hypervisors.secrets!.find(secret => secret.name === maasTlsSecret)!.generate({maasHostname: 'maas.lab.test'}, new MemoryVault());

export const secrets = {[operatorKeySecret]: operatorKey.privateKey, [tunnelKeySecret]: tunnelKey.privateKey, [maasTlsSecret]: tls};

export const answers = {operatorUser: 'spike', maasAddress: '192.0.2.3', vault: '/home/op/.waymark/vault'};

export const bindings: Readonly<Record<string, readonly TargetInfo[]>> = {
	webserver: [{kind: 'ssh', label: 'ssh:maas'}],
	dbserver: [{kind: 'ssh', label: 'ssh:maas'}],
	hypervisor: [
		{kind: 'ssh', label: 'ssh:hv2'},
		{kind: 'ssh', label: 'ssh:spike@192.0.2.30:2222'},
	],
};

/** The first hypervisor, and an offline image of a host. */
export const hv2: TargetInfo = {kind: 'ssh', label: 'ssh:hv2'};
export const offline: TargetInfo = {kind: 'root', label: 'root:/srv/images/hv'};

/** A step that sees these bindings whatever context it is given (the case tables' context binds no roles). */
function bound(step: Step): Step {
	const on = (ctx: StepContext): StepContext => ({...ctx, bindings});
	return {
		...step,
		facts: ctx => step.facts(on(ctx)),
		plan: (ctx, facts) => step.plan(on(ctx), facts),
		...(step.verify ? {verify: (ctx: StepContext, facts: Parameters<NonNullable<Step['verify']>>[1]) => step.verify!(on(ctx), facts)} : {}),
	};
}

/** The wizard with its roles bound: the tunnel steps name one tunnel per hypervisor target. */
export const boundHypervisors: Wizard = {...hypervisors, steps: hypervisors.steps.map(bound)};

/** The context a case runs in, for what a case computes up front (a rendered config its commands leave behind). */
export function caseContext(extra: Record<string, unknown> = {}, target: TargetInfo = hv2): StepContext {
	return {...context(hypervisors, {...answers, ...extra}, secrets), bindings, target};
}

/** A command that answers nothing and exits 1 (`command -v` of a missing program, a missing file read through cat). */
export const absent = {text: '', exitCode: 1} as const;

/** `getent passwd` of an account that does not exist. */
export const noAccount = {text: '', exitCode: 2} as const;

/** The file action for this path in the plan. */
export function fileAt(plan: Plan, path: string): FileAction {
	const found = plan.actions.find((action): action is FileAction => action.kind === 'file' && action.path === path);
	assert.ok(found, `the plan writes ${path}`);
	return found;
}

/** The script of the command with this title in the plan. */
export function scriptOf(plan: Plan, title: string): string {
	const found = plan.actions.find((action: Action) => action.kind === 'command' && action.title === title);
	assert.ok(found?.kind === 'command', `the plan runs "${title}"`);
	return found.script;
}
