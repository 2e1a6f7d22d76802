import {Box, Text} from 'ink';
import type {Finding} from '../../engine/checker.js';
import {Badge} from '../components/badge.js';

export interface FindingRowProps {
	/** The finding to show. */
	readonly finding: Finding;
	/** Has the pointer: also shows the reason and the fixing step. */
	readonly selected: boolean;
	/** Marked for fixing. */
	readonly marked: boolean;
	/** The fixing step's title, for the expanded lines; defaults to the step id. */
	readonly fixTitle?: string;
}

/** One finding: pointer, mark (only when a step fixes it), status badge, title and evidence; expanded when selected. */
export function FindingRow({finding, selected, marked, fixTitle}: FindingRowProps) {
	const {check, fix} = finding;
	return (
		<Box flexDirection="column">
			<Box>
				<Box flexShrink={0}>
					<Text color="blue">{selected ? '❯ ' : '  '}</Text>
					<Text color="cyan">{fix === undefined ? '  ' : marked ? '◉ ' : '○ '}</Text>
					<Badge variant={check.status}>{check.status}</Badge>
					<Text> </Text>
				</Box>
				<Text>
					<Text bold={selected}>{check.title}</Text>: {check.evidence}
				</Text>
			</Box>
			{selected ? (
				<Box paddingLeft={4} flexDirection="column">
					<Text>
						<Text dimColor>why:</Text> {check.reason}
					</Text>
					{fix === undefined ? null : (
						<Text>
							<Text dimColor>fix:</Text> step "{fixTitle ?? fix}" ({fix})
						</Text>
					)}
				</Box>
			) : null}
		</Box>
	);
}
