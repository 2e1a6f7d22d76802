import {Box, Text} from 'ink';

export interface DiffViewProps {
	/** A unified diff, or a one-line description when the file is secret. */
	readonly diff: string;
	/** Lines shown before `… N more lines`, each cut at the terminal's width; all, wrapped whole, when undefined. */
	readonly maxLines?: number;
}

function lineColor(line: string): string | undefined {
	if (line.startsWith('+++') || line.startsWith('---')) {
		return undefined;
	}

	if (line.startsWith('+')) {
		return 'green';
	}

	if (line.startsWith('-')) {
		return 'red';
	}

	return line.startsWith('@@') ? 'cyan' : undefined;
}

/** A unified diff with added lines green and removed lines red. */
export function DiffView({diff, maxLines}: DiffViewProps) {
	const lines = diff === '' ? [] : diff.split('\n');
	const shown = maxLines === undefined ? lines : lines.slice(0, maxLines);
	const hidden = lines.length - shown.length;
	const wrap = maxLines === undefined ? 'wrap' : 'truncate-end';
	return (
		<Box flexDirection="column">
			{shown.map((line, index) => (
				// Diff lines repeat ("+", " "): their position is their identity.
				// biome-ignore lint/suspicious/noArrayIndexKey: lines of a finished diff never move, and repeat (blank lines)
				<Text key={index} wrap={wrap} color={lineColor(line)} dimColor={line.startsWith('+++') || line.startsWith('---')}>
					{line === '' ? ' ' : line}
				</Text>
			))}
			{hidden > 0 ? <Text dimColor>… {hidden} more lines (d: full diff)</Text> : null}
		</Box>
	);
}
