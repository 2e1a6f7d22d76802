// Facts about files and directories. On an offline root:DIR these are answered from the directory itself.
import type {FactDef} from '../engine/step.js';

/** A file's text, or null when it does not exist. */
export function fileText(path: string): FactDef<string | null> {
	return {request: {kind: 'file', path}, parse: fact => (fact.exists ? fact.text : null)};
}

/** A file's text and permission bits (a secret left readable by others must be seen, not just its text). */
export function fileWithMode(path: string): FactDef<{readonly text: string | null; readonly mode: number | undefined}> {
	return {request: {kind: 'file', path}, parse: fact => ({text: fact.exists ? fact.text : null, mode: fact.mode})};
}

/** Whether a directory exists. */
export function dirExists(path: string): FactDef<boolean> {
	return {request: {kind: 'dir', path}, parse: fact => fact.exists};
}
