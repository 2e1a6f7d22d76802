// What every edit in source/edits returns, and the one error they throw.

/** The outcome of an edit: the new text, and whether it differs from the input. */
export interface EditResult {
	readonly text: string;
	/** False exactly when `text` equals the input. */
	readonly changed: boolean;
}

/** Why an edit refused; callers branch on `code`, never on the message. */
export type EditErrorCode =
	/** The line the edit needs (a mount point, a section) is not in the file. */
	| 'not-found'
	/** More than one line matches and the edit cannot tell which one is meant. */
	| 'ambiguous'
	/** The intent itself is malformed (a newline in a value, an unknown option). */
	| 'invalid'
	/** The file's layout needs a different edit (an sshd_config with an Include line). */
	| 'wrong-layout';

/** An edit that cannot be done safely; the message names the file part and what to do. */
export class EditError extends Error {
	override readonly name = 'EditError';
	readonly code: EditErrorCode;

	constructor(code: EditErrorCode, message: string) {
		super(message);
		this.code = code;
	}
}

/** Builds an EditResult so that `changed` can never disagree with the text. */
export function editResult(before: string, after: string): EditResult {
	return {text: after, changed: after !== before};
}
