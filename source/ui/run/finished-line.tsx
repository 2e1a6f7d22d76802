import {Text} from 'ink';
import {StepLine} from '../components/step-line.js';
import {checkText, differenceText, driftText, factsText, platformLine, runTitle} from '../../wording/index.js';
import {PlanView} from './plan-view.js';
import type {FinishedItem} from './use-run-state.js';

/** How a note line is colored: `detail` is dim. */
export type NoteTone = 'detail' | 'info' | 'warn' | 'error';

const noteColor: Readonly<Record<NoteTone, string | undefined>> = {detail: undefined, info: undefined, warn: 'yellow', error: 'red'};

export interface FinishedLineProps {
	/** The finished line to show. */
	readonly item: FinishedItem;
}

function Note({tone, children}: {readonly tone: NoteTone; readonly children: string}) {
	return (
		<Text color={noteColor[tone]} dimColor={tone === 'detail'} wrap="truncate-end">
			{children}
		</Text>
	);
}

/** One line above the live region: the run's header, a finished step, or a note on what the run read or found. */
export function FinishedLine({item}: FinishedLineProps) {
	switch (item.kind) {
		case 'header': {
			const resumed = item.resumed ? ` · resumed, ${item.doneBefore} done before` : '';
			return (
				<Text bold wrap="truncate-end">
					{runTitle(item.runId, item.wizard)} · {item.total} steps{resumed}
				</Text>
			);
		}

		case 'facts': {
			return <Note tone="detail">{factsText(item.count, item.target, item.ms)}</Note>;
		}

		case 'platform': {
			return <Note tone="detail">{platformLine(item.target, item.platform)}</Note>;
		}

		case 'difference': {
			return <Note tone="info">{`  ${differenceText(item.difference)}`}</Note>;
		}

		case 'drift': {
			return <Note tone="warn">{`drift: ${driftText(item.title, item.target, item.summary)}`}</Note>;
		}

		case 'plan': {
			return <PlanView plan={item.plan} full={false} />;
		}

		case 'step': {
			return <StepLine status={item.status} title={item.title} target={item.target} message={item.message} />;
		}

		case 'check': {
			return <Note tone={item.check.status === 'fail' ? 'error' : 'warn'}>{`  ${item.check.status}: ${checkText(item.check)}`}</Note>;
		}

		case 'remedy': {
			return <Note tone="info">{`  → ${item.remedy}`}</Note>;
		}
	}
}
