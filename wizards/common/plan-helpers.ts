// Small builders shared by steps: plans, file edits that vanish when nothing changes, fact lookups.
import type {Action, Fact, Facts, FileAction, Plan} from '../../source/engine/types.js';

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

/** The permission bits of a file fact, when the target told them. */
export function fileMode(facts: Facts, key: string): number | undefined {
	return fact(facts, key).mode;
}

export function fact(facts: Facts, key: string): Fact {
	return facts.get(key) ?? {key, exists: false, text: '', exitCode: 127, unavailable: true};
}

/** A file fact's text, or null when the file is missing. */
export function fileText(facts: Facts, key: string): string | null {
	const found = fact(facts, key);
	return found.exists ? found.text : null;
}

/** A command fact's trimmed output, or undefined when it could not be read (offline target, failed command). */
export function output(facts: Facts, key: string): string | undefined {
	const found = fact(facts, key);
	return found.unavailable || found.exitCode !== 0 ? undefined : found.text.trim();
}

export function header(wizard: string, step: string): string {
	return `# Written by Waymark (${wizard}, step ${step}). Edit the answers and run the wizard again rather than this file.`;
}
