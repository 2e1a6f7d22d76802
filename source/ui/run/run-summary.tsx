import {Box, Text} from 'ink';
import type {Counts, NotDone, RunStatus} from '../../engine/types.js';
import {nextText, notDoneLines, summaryText} from '../../wording/index.js';

export interface RunSummaryProps {
	/** How the run ended. */
	readonly status: RunStatus;
	/** Steps by result. */
	readonly counts: Counts;
	/** The run, for the resume command. */
	readonly runId: string;
	/** The guide, for the re-run command. */
	readonly guide?: string;
	/** Steps left deferred or skipped, listed with the reason. */
	readonly notDone?: readonly NotDone[];
}

const color: Record<RunStatus, string> = {running: 'cyan', done: 'green', failed: 'red', interrupted: 'yellow'};

/** The last lines of a run: counts, then what to type next. */
export function RunSummary({status, counts, runId, guide, notDone = []}: RunSummaryProps) {
	return (
		<Box flexDirection="column">
			<Text bold color={color[status]}>
				{summaryText(status, counts)}
			</Text>
			{notDoneLines(notDone).map((line, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: lines repeat (one remedy for two steps) and the list never changes once shown
				<Text key={index}>{line}</Text>
			))}
			<Text>{nextText(status, runId, guide)}</Text>
		</Box>
	);
}
