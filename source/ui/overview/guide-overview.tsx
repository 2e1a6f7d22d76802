import {Box, Text} from 'ink';
import type {WizardSummary} from '../../engine/channel.js';
import {Badge} from '../components/badge.js';
import {KeyHints} from '../components/key-hints.js';
import {useOverviewInput} from './use-overview-input.js';

export interface GuideOverviewProps {
	/** The guide to describe. */
	readonly wizard: WizardSummary;
	/** ⏎: go on to targets and parameters. */
	readonly onContinue: () => void;
	/** esc: back to the guides. */
	readonly onBack: () => void;
	/** c: check the hosts against this guide; without it the key is not offered. */
	readonly onCheck?: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** A guide before anything runs: its roles, then each step with where it runs, its risk and what it changes. */
export function GuideOverview({wizard, onContinue, onBack, onCheck, isActive = true}: GuideOverviewProps) {
	useOverviewInput({onContinue, onBack, isActive, ...(onCheck === undefined ? {} : {onCheck})});

	const width = String(wizard.steps.length).length;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{wizard.title}</Text> <Text dimColor>({wizard.id})</Text>
			</Text>
			{wizard.summary === '' ? null : <Text>{wizard.summary}</Text>}
			<Text dimColor>
				Roles: {wizard.roles.join(', ')} · {wizard.steps.length} steps · {wizard.params.length} parameters
			</Text>
			<Box marginTop={1} flexDirection="column">
				{wizard.steps.map((step, index) => (
					<Box key={step.id} flexDirection="column">
						<Text wrap="truncate-end">
							{String(index + 1).padStart(width)}. {step.title} <Badge variant="role">{step.role}</Badge>
							{step.risk === undefined ? null : (
								<>
									{' '}
									<Badge variant={step.risk}>{step.risk}</Badge>
								</>
							)}
						</Text>
						<Box paddingLeft={width + 2}>
							<Text dimColor wrap="truncate-end">
								{step.why}
							</Text>
						</Box>
					</Box>
				))}
			</Box>
			<Box marginTop={1}>
				<KeyHints hints={[{key: '⏎', label: 'continue'}, ...(onCheck === undefined ? [] : [{key: 'c', label: 'check hosts'}]), {key: 'esc', label: 'back'}]} />
			</Box>
		</Box>
	);
}
