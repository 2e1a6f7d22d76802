import {Box, Text} from 'ink';
import {applyPlanQuestion, failedQuestion, orphanQuestion, riskSentence} from '../../wording/index.js';
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
			<Text bold>{questionOf(prompt)}</Text>
		</Box>
	);
}

function questionOf(prompt: PendingPrompt): string {
	switch (prompt.kind) {
		case 'confirm': {
			return applyPlanQuestion(prompt.target);
		}

		case 'failed': {
			return failedQuestion(prompt.title, prompt.target);
		}

		case 'orphan': {
			return orphanQuestion(prompt.title, prompt.target, prompt.pid);
		}
	}
}
