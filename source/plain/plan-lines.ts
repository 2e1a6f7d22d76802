// A shown plan as plain lines: notes, files with their unified diffs, directories, commands.
import type {ShownPlan} from '../engine/types.js';
import {deferredCommandText, diffStatText, newFileText} from '../wording/index.js';

/** Lines of a plan, indented under its step. */
export function planLines(plan: ShownPlan): string[] {
	const lines = plan.notes.map(note => `  Note: ${note}`);
	for (const item of plan.items) {
		switch (item.kind) {
			case 'file': {
				lines.push(`  File ${item.path}${item.created ? ` (${newFileText})` : ''}${item.secret ? '' : `: ${diffStatText(item.diff)}`}`);
				if (item.diff !== '') {
					lines.push(...item.diff.split('\n').map(line => `    ${line}`));
				}

				break;
			}

			case 'dir': {
				lines.push(`  Directory ${item.path}`);
				break;
			}

			case 'command': {
				lines.push(`  Run: ${item.title}${item.deferred ? ` (${deferredCommandText})` : ''}`, ...item.script.split('\n').map(line => `    $ ${line}`));
				break;
			}
		}
	}

	return lines;
}
