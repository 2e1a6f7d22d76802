import {Box, Text} from 'ink';
import type {WizardSummary} from '../../engine/channel.js';
import {differenceText, platformText} from '../../wording/index.js';
import type {HostReport} from './check-findings.js';
import {FindingRow} from './finding-row.js';
import type {CheckReportState} from './use-check-report-state.js';

export interface CheckHostProps {
	/** The host and its findings. */
	readonly host: HostReport;
	/** Selection and marks. */
	readonly state: CheckReportState;
	/** Finding indexes shown now. */
	readonly shown: readonly number[];
	/** For the fixing steps' titles. */
	readonly wizard: WizardSummary;
	/** Say so when none of this host's findings shows (left out when the whole report is clear). */
	readonly sayClear: boolean;
}

/** One host: its platform line, where it departs from the guide, and its findings that show. */
export function CheckHost({host, state, shown, wizard, sayClear}: CheckHostProps) {
	const rows = host.findings.filter(index => shown.includes(index));
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text>
				<Text bold>{host.target}</Text>
				<Text dimColor> · {host.platform === undefined ? 'platform not read' : platformText(host.platform)}</Text>
			</Text>
			{(host.platform?.differences ?? []).map(difference => (
				<Box key={difference} paddingLeft={2}>
					<Text dimColor>{differenceText(difference)}</Text>
				</Box>
			))}
			{rows.map(index => {
				const finding = state.report.findings[index]!;
				const fixTitle = wizard.steps.find(step => step.id === finding.fix)?.title;
				return (
					<FindingRow
						key={index}
						finding={finding}
						selected={index === state.selected}
						marked={state.marked.includes(index)}
						{...(fixTitle === undefined ? {} : {fixTitle})}
					/>
				);
			})}
			{rows.length === 0 && sayClear ? (
				<Box paddingLeft={2}>
					<Text dimColor>nothing fails or warns</Text>
				</Box>
			) : null}
		</Box>
	);
}
