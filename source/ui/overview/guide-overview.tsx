import {Box, Text, useWindowSize} from 'ink';
import {useState} from 'react';
import type {WizardSummary} from '../../engine/channel.js';
import {Badge} from '../components/badge.js';
import {KeyHints} from '../components/key-hints.js';
import {wrappedRows} from '../components/wrapped-rows.js';
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
	const {rows, columns} = useWindowSize();
	// Header (title, summary, roles), the margins and the hints; each step takes two rows. A list taller than the
	// terminal scrolls with ↑↓, and says how much is above and below, so the title never scrolls away.
	const summaryRows = wizard.summary === '' ? 0 : wrappedRows(wizard.summary, columns);
	const chrome = 2 + summaryRows + 1 + 1 + 1;
	const room = Math.max(1, Math.floor((rows - chrome - 2) / 2));
	const scrolls = wizard.steps.length > Math.floor((rows - chrome) / 2);
	const shown = scrolls ? room : wizard.steps.length;
	const [first, setFirst] = useState(0);
	const top = Math.min(first, wizard.steps.length - shown);
	useOverviewInput({
		onContinue,
		onBack,
		isActive,
		...(onCheck === undefined ? {} : {onCheck}),
		onScroll: by => {
			// Keys can arrive faster than renders: each one moves from where the last one left the list.
			setFirst(previous => Math.max(0, Math.min(wizard.steps.length - shown, Math.min(previous, wizard.steps.length - shown) + by)));
		},
	});

	const width = String(wizard.steps.length).length;
	const below = wizard.steps.length - top - shown;
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
				{scrolls ? <Text dimColor>{top === 0 ? ' ' : `↑ ${top} more above`}</Text> : null}
				{wizard.steps
					.slice(top, top + shown)
					.map((step, offset) => ({step, index: top + offset}))
					.map(({step, index}) => (
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
				{scrolls ? <Text dimColor>{below === 0 ? ' ' : `↓ ${below} more below`}</Text> : null}
			</Box>
			<Box marginTop={1}>
				<KeyHints
					hints={[
						...(scrolls ? [{key: '↑↓', label: 'scroll'}] : []),
						{key: '⏎', label: 'continue'},
						...(onCheck === undefined ? [] : [{key: 'c', label: 'check hosts'}]),
						{key: 'esc', label: 'back'},
					]}
				/>
			</Box>
		</Box>
	);
}
