import {Box, Text} from 'ink';
import type {PendingPrompt} from './use-run-state.js';
import {riskText} from './format.js';

export interface PromptViewProps {
	/** The question the engine waits on. */
	readonly prompt: PendingPrompt;
}

/** The question of a pending prompt, with the risk spelled out; the keys are shown below it by the caller. */
export function PromptView({prompt}: PromptViewProps) {
	return (
		<Box flexDirection="column">
			{prompt.risk === undefined ? null : (
				<Text color="yellow">
					! {prompt.risk}: {riskText[prompt.risk]}
				</Text>
			)}
			<Text bold>{prompt.kind === 'confirm' ? `Apply this plan to ${prompt.target}?` : `${prompt.title} failed on ${prompt.target}. What now?`}</Text>
		</Box>
	);
}
