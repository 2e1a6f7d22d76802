import {Box, Text} from 'ink';
import {useMemo} from 'react';
import type {CheckReport, WizardSummary} from '../../engine/channel.js';
import {checkCounts, checkCountsText} from '../../wording/index.js';
import {type KeyHint, KeyHints} from '../components/key-hints.js';
import {CheckHost} from './check-host.js';
import {hostReports} from './check-findings.js';
import {useCheckReportInput} from './use-check-report-input.js';
import {type CheckReportState, useCheckReportState} from './use-check-report-state.js';

export interface CheckReportViewProps {
	/** What the check found. */
	readonly report: CheckReport;
	/** The guide checked: its title, and its steps' order and titles. */
	readonly wizard: WizardSummary;
	/** Targets being checked again, shown as `Checking <targets>…` under the report. */
	readonly checking?: string;
	/** Why the last re-check or fixing run could not start. */
	readonly problem?: string;
	/** ⏎: run these steps (unique, in wizard order) as a new run. */
	readonly onFix: (only: readonly string[]) => void;
	/** r: check again. */
	readonly onRecheck: () => void;
	/** esc. */
	readonly onBack: () => void;
	/** q. */
	readonly onQuit: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

function hintsFor(state: CheckReportState, shown: readonly number[], fixes: readonly string[]): KeyHint[] {
	const fixLabel = state.marked.length > 0 ? `fix marked (${state.marked.length})` : 'fix selected';
	return [
		...(shown.length > 1 ? [{key: '↑↓', label: 'move'}] : []),
		...(shown.some(index => state.report.findings[index]?.fix !== undefined) ? [{key: 'space', label: 'mark'}] : []),
		...(fixes.length > 0 ? [{key: '⏎', label: fixLabel}] : []),
		{key: 'a', label: state.showPasses ? 'hide passes' : 'show passes'},
		{key: 'r', label: 'check again'},
		{key: 'esc', label: 'back'},
		{key: 'q', label: 'quit'},
	];
}

/** The check report: per host its platform and where it departs from the guide, then its findings; ⏎ fixes. */
export function CheckReportView({report, wizard, checking, problem, onFix, onRecheck, onBack, onQuit, isActive = true}: CheckReportViewProps) {
	const stepOrder = useMemo(() => wizard.steps.map(step => step.id), [wizard]);
	const selection = useCheckReportState(report, {stepOrder, onFix});
	useCheckReportInput(selection, {onRecheck, onBack, onQuit, isActive});
	const {state, shown, fixes} = selection;
	const hosts = hostReports(report);
	const counts = checkCounts(report.findings);
	const clear = counts.warn === 0 && counts.fail === 0;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{wizard.title}</Text> <Text dimColor>· check of {hosts.map(host => host.target).join(', ')}</Text>
			</Text>
			{hosts.map(host => (
				<CheckHost key={host.target} host={host} state={state} shown={shown} wizard={wizard} sayClear={!clear} />
			))}
			<Box marginTop={1} flexDirection="column">
				{clear ? <Text color="green">✓ Nothing fails or warns: there is nothing to fix.</Text> : null}
				<Text bold color={counts.fail > 0 ? 'red' : counts.warn > 0 ? 'yellow' : 'green'}>
					{checkCountsText(counts)}
				</Text>
				{checking === undefined ? null : <Text color="cyan">Checking {checking}…</Text>}
				{problem === undefined ? null : <Text color="red">✗ {problem}</Text>}
			</Box>
			<Box marginTop={1}>
				<KeyHints hints={hintsFor(state, shown, fixes)} />
			</Box>
		</Box>
	);
}
