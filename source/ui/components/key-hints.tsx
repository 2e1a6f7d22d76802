import {Box, Text} from 'ink';

/** One key and what it does. */
export interface KeyHint {
	/** The key as shown: `⏎/y`, `s`, `esc`. */
	readonly key: string;
	/** What it does, in a word or two. */
	readonly label: string;
}

export interface KeyHintsProps {
	/** The keys valid right now, in the order shown. */
	readonly hints: readonly KeyHint[];
}

/** The keys the operator can press, on one line: `⏎/y apply  s skip  q quit`. */
export function KeyHints({hints}: KeyHintsProps) {
	return (
		<Box>
			<Text wrap="truncate-end">
				{hints.map((hint, index) => (
					<Text key={hint.key}>
						{index > 0 ? '  ' : ''}
						<Text bold>{hint.key}</Text> <Text dimColor>{hint.label}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
