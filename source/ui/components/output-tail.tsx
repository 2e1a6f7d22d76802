import {Box, Text} from 'ink';

export interface OutputTailProps {
	/** Output lines, oldest first, ANSI already stripped. */
	readonly lines: readonly string[];
	/** How many of the last lines to show. */
	readonly height: number;
}

/** The last lines of the running command, one screen row each. */
export function OutputTail({lines, height}: OutputTailProps) {
	const shown = lines.slice(-height);
	const first = lines.length - shown.length;
	return (
		<Box flexDirection="column">
			{shown.map((line, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: the same text can repeat; its position in the whole output is its identity
				<Text key={first + index} wrap="truncate-end" dimColor>
					│ {line}
				</Text>
			))}
		</Box>
	);
}
