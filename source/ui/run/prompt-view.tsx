import {Box, Text} from 'ink';
import {applyPlanQuestion, failedQuestion, riskSentence} from '../../wording/index.js';
import type {PendingPrompt} from './use-run-state.js';

export interface PromptViewProps {
	/** The question the engine waits on. */
	readonly prompt: PendingPrompt;
}

/** The question of a pending prompt, with the risk spelled out; the keys are shown below it by the caller. */
export function PromptView({prompt}: PromptViewProps) {
	return (
		<Box flexDirection="column">
			{prompt.risk === undefined ? null : <Text color="yellow">! {riskSentence(prompt.risk)}</Text>}
			<Text bold>{prompt.kind === 'confirm' ? applyPlanQuestion(prompt.target) : failedQuestion(prompt.title, prompt.target)}</Text>
		</Box>
	);
}
