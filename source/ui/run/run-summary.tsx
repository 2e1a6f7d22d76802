import {Box, Text} from 'ink';
import type {Counts, NotDone, RunStatus} from '../../engine/types.js';
import {dryRunLines, nextText, notDoneHeading, notDoneItem, summaryText} from '../../wording/index.js';

export interface RunSummaryProps {
	/** How the run ended. */
	readonly status: RunStatus;
	/** Steps by result. */
	readonly counts: Counts;
	/** The run, for the resume command. */
	readonly runId: string;
	/** The read-only check of the same targets, offered once a run is done. */
	readonly check?: string;
	/** Steps left deferred or skipped, listed with the reason. */
	readonly notDone?: readonly NotDone[];
	/** A dry run's steps that would change something (`title on target`); absent for a real run. */
	readonly wouldChange?: readonly string[];
	/** The connection to a host was lost: what happened and the resume command, shown instead of the usual next step. */
	readonly lost?: {readonly message: string; readonly remedy: string};
}

const color: Record<RunStatus, string> = {running: 'cyan', done: 'green', failed: 'red', interrupted: 'yellow'};

/**
 * The last lines of a run: what it left undone (one line each, cut to the terminal's width, since the finished steps
 * above carry each remedy in full), then the counts and what to type next at the bottom, where they stay in view
 * however long the list.
 */
export function RunSummary({status, counts, runId, check, notDone = [], wouldChange, lost}: RunSummaryProps) {
	return (
		<Box flexDirection="column">
			{notDone.length === 0 ? null : <Text>{notDoneHeading(notDone.length)}</Text>}
			{notDone.map((item, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: the list never changes once shown
				<Text key={index} wrap="truncate-end">
					{'  '}
					{notDoneItem(item)}
				</Text>
			))}
			<Text bold color={color[status]}>
				{summaryText(status, counts)}
			</Text>
			{lost ? <Text color="yellow">{lost.message}</Text> : null}
			{lost ? <Text>{lost.remedy}</Text> : null}
			{wouldChange === undefined ? (
				lost ? null : (
					<Text>{nextText(status, runId, check)}</Text>
				)
			) : (
				dryRunLines(wouldChange).map(line => <Text key={line}>{line}</Text>)
			)}
		</Box>
	);
}
