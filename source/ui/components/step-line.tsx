import {Text} from 'ink';
import type {StepStatus} from '../../engine/types.js';
import {statusSymbol} from '../../wording/index.js';

/** Ink color names per status; `undefined` keeps the terminal's color. */
export const statusColor: Readonly<Record<StepStatus, string | undefined>> = {
	pending: 'gray',
	running: 'cyan',
	ok: 'green',
	changed: 'yellow',
	failed: 'red',
	skipped: 'gray',
	deferred: 'magenta',
};

export interface StepLineProps {
	/** How the step ended (or `running`). */
	readonly status: StepStatus;
	/** The step's title. */
	readonly title: string;
	/** Where it ran, as a target label. */
	readonly target: string;
	/** What happened, in one line; left out when empty. */
	readonly message?: string;
}

/** One finished step on one line: `✓ Title · target · message`. */
export function StepLine({status, title, target, message}: StepLineProps) {
	return (
		<Text wrap="truncate-end">
			<Text color={statusColor[status]}>{statusSymbol[status]}</Text> {title} <Text dimColor>· {target}</Text>
			{message ? ` · ${message}` : ''}
		</Text>
	);
}
