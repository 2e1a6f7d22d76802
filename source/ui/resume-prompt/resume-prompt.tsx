import {Box, Text} from 'ink';
import type {RunSummary} from '../../engine/channel.js';
import {resumeQuestion} from '../../wording/index.js';
import {KeyHints} from '../components/key-hints.js';
import {useResumePromptInput} from './use-resume-prompt-input.js';

export interface ResumePromptProps {
	/** The saved run to resume. */
	readonly run: RunSummary;
	/** y or ⏎. */
	readonly onResume: (run: RunSummary) => void;
	/** n or esc. */
	readonly onCancel: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** "Run r1 of uwsgi-node stopped at Harden sshd (4/12) — resume?" */
export function ResumePrompt({run, onResume, onCancel, isActive = true}: ResumePromptProps) {
	useResumePromptInput({
		onResume() {
			onResume(run);
		},
		onCancel,
		isActive,
	});

	return (
		<Box flexDirection="column">
			<Text bold>{resumeQuestion(run)}</Text>
			<Text dimColor>
				Targets: {run.targets} · {run.status} · last change {run.updated}
			</Text>
			<KeyHints
				hints={[
					{key: '⏎/y', label: 'resume'},
					{key: 'n', label: 'back'},
				]}
			/>
		</Box>
	);
}
