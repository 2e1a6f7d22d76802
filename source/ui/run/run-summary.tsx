import {Box, Text} from 'ink';
import type {Counts, NotDone, RunStatus} from '../../engine/types.js';
import {dryRunLines, nextText, notDoneLines, summaryText} from '../../wording/index.js';

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
	/** A dry run's steps that would change something (`title on target`); absent for a real run. */
	readonly wouldChange?: readonly string[];
	/** The connection to a host was lost: what happened and the resume command, shown instead of the usual next step. */
	readonly lost?: {readonly message: string; readonly remedy: string};
}

const color: Record<RunStatus, string> = {running: 'cyan', done: 'green', failed: 'red', interrupted: 'yellow'};

/** The last lines of a run: counts, then what to type next. */
export function RunSummary({status, counts, runId, guide, notDone = [], wouldChange, lost}: RunSummaryProps) {
	return (
		<Box flexDirection="column">
			<Text bold color={color[status]}>
				{summaryText(status, counts)}
			</Text>
			{lost ? <Text color="yellow">{lost.message}</Text> : null}
			{lost ? <Text>{lost.remedy}</Text> : null}
			{notDoneLines(notDone).map((line, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: lines repeat (one remedy for two steps) and the list never changes once shown
				<Text key={index}>{line}</Text>
			))}
			{wouldChange === undefined ? (
				lost ? null : (
					<Text>{nextText(status, runId, guide)}</Text>
				)
			) : (
				dryRunLines(wouldChange).map(line => <Text key={line}>{line}</Text>)
			)}
		</Box>
	);
}
