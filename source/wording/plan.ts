// The words of a shown plan that both renderers print next to its files and commands.
/** Said after a command that an offline target cannot run. */
export const deferredCommandText = 'deferred: offline target';

/** Said after a file the plan creates. */
export const newFileText = 'new';

/** How many lines a unified diff adds and removes. */
export function diffStat(diff: string): {readonly added: number; readonly removed: number} {
	let added = 0;
	let removed = 0;
	for (const line of diff.split('\n')) {
		if (line.startsWith('+') && !line.startsWith('+++')) {
			added++;
		} else if (line.startsWith('-') && !line.startsWith('---')) {
			removed++;
		}
	}

	return {added, removed};
}

/** `+3 -1` */
export function diffStatText(diff: string): string {
	const {added, removed} = diffStat(diff);
	return `+${added} -${removed}`;
}
