import {Box, Text} from 'ink';
import {PlanView} from './plan-view.js';
import type {LiveStep} from './use-run-state.js';

export interface LiveStepViewProps {
	/** The running step. */
	readonly step: LiveStep;
	/** `3/12`: where the run is; left out when unknown. */
	readonly progress?: string;
	/** Show full diffs and scripts. */
	readonly full: boolean;
	/** Only the title line, to leave the screen to the log. */
	readonly compact?: boolean;
}

/** The running step: title, why, plan and the checks that ran so far. */
export function LiveStepView({step, progress, full, compact = false}: LiveStepViewProps) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text color="cyan">▸</Text> <Text bold>{step.title}</Text> <Text dimColor>· {step.target}</Text>
				{progress === undefined ? '' : <Text dimColor> · {progress}</Text>}
			</Text>
			{compact ? null : (
				<Box paddingLeft={2} flexDirection="column">
					{step.why === '' ? null : <Text dimColor>{step.why}</Text>}
					{step.plan === undefined ? null : <PlanView plan={step.plan} full={full} />}
					{step.checks.map(check => (
						<Text key={check.id} wrap="truncate-end">
							<Text color={check.status === 'pass' ? 'green' : check.status === 'fail' ? 'red' : 'yellow'}>{check.status}</Text> {check.title}
						</Text>
					))}
				</Box>
			)}
		</Box>
	);
}
