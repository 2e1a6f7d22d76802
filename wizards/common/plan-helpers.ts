// Small builders shared by steps: plans, file edits that vanish when nothing changes.
import type {Action, FileAction, Plan} from '../../source/engine/types.js';

export function plan(actions: readonly (Action | undefined | false)[], notes: readonly string[] = []): Plan {
	return {actions: actions.filter((action): action is Action => Boolean(action)), notes};
}

/** Nothing to do, and why. */
export function noop(...notes: string[]): Plan {
	return {actions: [], notes};
}

/** The step does not apply to this host (a container has no bootloader of its own): skipped, with what to do instead. */
export function notHere(reason: string, remedy: string, notes: readonly string[] = []): Plan {
	return {actions: [], notes, unmet: {status: 'skipped', reason, remedy}};
}

/** What is left waits for something outside Waymark (a kernel with quota support): deferred, with what to do. */
export function waitsFor(plan: Plan, reason: string, remedy: string): Plan {
	return {...plan, unmet: {status: 'deferred', reason, remedy}};
}

/** On an offline target the step cannot even be planned (it needs to ask a running host): it waits for the live host. */
export function untilLive(what: string): Plan {
	return {
		actions: [],
		notes: [],
		unmet: {
			status: 'deferred',
			reason: `Offline target: ${what} when the wizard runs against the live host.`,
			remedy: 'Run the same wizard against the live host once it runs.',
		},
	};
}

/**
 * A file action, or nothing when the file already holds exactly that text. A secret whose text is right but whose
 * mode is looser than asked (`currentMode` from the file fact) is written again, which forces the mode.
 */
export function fileChange(
	path: string,
	before: string | null,
	after: string,
	extra: Partial<Omit<FileAction, 'kind' | 'path' | 'before' | 'after'>> = {},
	currentMode?: number,
): FileAction | undefined {
	const wrongMode = extra.secret === true && currentMode !== undefined && currentMode !== (extra.mode ?? 0o600);
	return before === after && !wrongMode ? undefined : {kind: 'file', path, before, after, ...extra};
}

export function header(wizard: string, step: string): string {
	return `# Written by Waymark (${wizard}, step ${step}). Edit the answers and run the wizard again rather than this file.`;
}
