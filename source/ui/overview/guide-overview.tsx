import {Box, Text, useWindowSize} from 'ink';
import {type ReactNode, useState} from 'react';
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

/** One entry of the overview's list: a step, or an instruction of the guide that no step carries out. */
interface Entry {
	readonly key: string;
	readonly head: ReactNode;
	readonly detail: string;
}

/** The list's entries; `width` is the steps' number column, which the not-done ones share. */
function entries(wizard: WizardSummary, width: number): Entry[] {
	const steps = wizard.steps.map((step, index) => ({
		key: `step:${step.id}`,
		head: (
			<>
				{String(index + 1).padStart(width)}. {step.title} <Badge variant="role">{step.role}</Badge>
				{step.risk === undefined ? null : (
					<>
						{' '}
						<Badge variant={step.risk}>{step.risk}</Badge>
					</>
				)}
			</>
		),
		detail: step.why,
	}));
	const notDone = (wizard.notDoneHere ?? []).map((item, index) => ({
		key: `not-done:${index}`,
		head: (
			<>
				{'–'.padStart(width)}. {item.instruction} <Badge variant="n/a">not done here</Badge>
			</>
		),
		detail: item.reason,
	}));
	return [...steps, ...notDone];
}

/**
 * A guide before anything runs: its roles, then each step with where it runs, its risk and what it changes, then the
 * guide's instructions no step carries out, with why.
 */
export function GuideOverview({wizard, onContinue, onBack, onCheck, isActive = true}: GuideOverviewProps) {
	const {rows, columns} = useWindowSize();
	const width = String(wizard.steps.length).length;
	const list = entries(wizard, width);
	const notDone = wizard.notDoneHere?.length ?? 0;
	// Header (title, summary, roles), the margins and the hints; each entry takes two rows. A list taller than the
	// terminal scrolls with ↑↓, and says how much is above and below, so the title never scrolls away.
	const summaryRows = wizard.summary === '' ? 0 : wrappedRows(wizard.summary, columns);
	const counts = `Roles: ${wizard.roles.join(', ')} · ${wizard.steps.length} steps · ${wizard.params.length} parameters${notDone === 0 ? '' : ` · ${notDone} not done here`}`;
	const chrome = 1 + summaryRows + wrappedRows(counts, columns) + 1 + 1 + 1;
	const room = Math.max(1, Math.floor((rows - chrome - 2) / 2));
	const scrolls = list.length > Math.floor((rows - chrome) / 2);
	const shown = scrolls ? room : list.length;
	const [first, setFirst] = useState(0);
	const top = Math.min(first, list.length - shown);
	useOverviewInput({
		onContinue,
		onBack,
		isActive,
		...(onCheck === undefined ? {} : {onCheck}),
		onScroll: by => {
			// Keys can arrive faster than renders: each one moves from where the last one left the list.
			setFirst(previous => Math.max(0, Math.min(list.length - shown, Math.min(previous, list.length - shown) + by)));
		},
	});

	const below = list.length - top - shown;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{wizard.title}</Text> <Text dimColor>({wizard.id})</Text>
			</Text>
			{wizard.summary === '' ? null : <Text>{wizard.summary}</Text>}
			<Text dimColor>{counts}</Text>
			<Box marginTop={1} flexDirection="column">
				{scrolls ? <Text dimColor>{top === 0 ? ' ' : `↑ ${top} more above`}</Text> : null}
				{list.slice(top, top + shown).map(entry => (
					<Box key={entry.key} flexDirection="column">
						<Text wrap="truncate-end">{entry.head}</Text>
						<Box paddingLeft={width + 2}>
							<Text dimColor wrap="truncate-end">
								{entry.detail}
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
