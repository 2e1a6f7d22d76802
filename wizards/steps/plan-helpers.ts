// Small builders shared by steps: plans, file edits that vanish when nothing changes, fact lookups.
import type {Action, Fact, Facts, FileAction, Plan} from '../../source/engine/types.js';

export function plan(actions: readonly (Action | undefined | false)[], notes: readonly string[] = []): Plan {
	return {actions: actions.filter((action): action is Action => Boolean(action)), notes};
}

/** Nothing to do, and why. */
export function noop(...notes: string[]): Plan {
	return {actions: [], notes};
}

/** A file action, or nothing when the file already holds exactly that text. */
export function fileChange(path: string, before: string | null, after: string, extra: Partial<Omit<FileAction, 'kind' | 'path' | 'before' | 'after'>> = {}): FileAction | undefined {
	return before === after ? undefined : {kind: 'file', path, before, after, ...extra};
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
