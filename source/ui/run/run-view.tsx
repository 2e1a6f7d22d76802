import {Box, Static, Text, useWindowSize} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {RunChannel} from '../../engine/channel.js';
import {unitKey} from '../../engine/run-record.js';
import type {RunStatus} from '../../engine/types.js';
import {savedAnswersLines, stoppingText} from '../../wording/index.js';
import {type KeyHint, KeyHints} from '../components/key-hints.js';
import {OutputTail} from '../components/output-tail.js';
import type {EventPumpOptions} from './event-pump.js';
import {FinishedLine} from './finished-line.js';
import {LiveStepView} from './live-step-view.js';
import {planHasMore} from './plan-view.js';
import {choiceKeys, choiceOrder} from './prompt-keys.js';
import {PromptView} from './prompt-view.js';
import {RunSummary} from './run-summary.js';
import {type RunCloseTarget, useRunInput} from './use-run-input.js';
import {outputKeep, type RunState, useRunState} from './use-run-state.js';

export interface RunViewProps {
	/** The run to show; subscribed on mount, unsubscribed on unmount. */
	readonly channel: RunChannel;
	/** Called once, when `run-end` has been shown. */
	readonly onEnd?: (status: RunStatus) => void;
	/** Called after the run ended when the operator presses ⏎ (`home`) or q (`exit`); without it those keys are not offered. */
	readonly onClose?: (status: RunStatus, then: RunCloseTarget) => void;
	/** Output batching; the defaults suit a terminal. */
	readonly batching?: EventPumpOptions;
	/** After the run ended (with onClose): s writes its answers as a file; the path and the replay command are shown. May throw. */
	readonly onSaveAnswers?: (runId: string) => {readonly file: string; readonly replay: string};
	/** Listen to keys. */
	readonly isActive?: boolean;
}

/** Output lines shown under the running step. */
export const tailHeight = 8;
/** Rows around the log view: step title, margins, log header, prompt, hints. */
const logChrome = 10;

/** The columns a live step's plan gets: the step line's and the plan's own indents come off the terminal's width. */
function planWidth(columns: number): number {
	return Math.max(20, columns - 4);
}

function hintsFor(state: RunState, closable: boolean, width: number, savable: boolean): KeyHint[] {
	if (state.endStatus !== undefined) {
		return [
			...(closable ? [{key: '⏎', label: 'back to guides'}] : []),
			...(savable ? [{key: 's', label: 'save answers'}] : []),
			{key: 'l', label: 'log'},
			...(closable ? [{key: 'q', label: 'quit'}] : []),
		];
	}

	const hints: KeyHint[] = [];
	const prompt = state.prompts[0];
	if (prompt !== undefined) {
		for (const choice of choiceOrder) {
			if (prompt.choices.includes(choice)) {
				hints.push({key: choiceKeys[choice].label, label: choiceKeys[choice].hint});
			}
		}
	}

	if (state.live.some(step => step.plan !== undefined && planHasMore(step.plan, width))) {
		hints.push({key: 'd', label: state.showDiff ? 'short diff' : 'full diff'});
	}

	hints.push({key: 'l', label: state.showLog ? 'hide log' : 'log'}, {key: 'q', label: 'quit'});
	return hints;
}

/** One run: finished steps above (static), the current step, its prompt and its last lines of output below. */
export function RunView({channel, onEnd, onClose, onSaveAnswers, batching, isActive = true}: RunViewProps) {
	const run = useRunState(channel, batching);
	const {state} = run;
	const [saved, setSaved] = useState<{readonly ok: boolean; readonly lines: readonly string[]} | undefined>(undefined);
	// A dry run saves no run, so there is nothing to read the answers from.
	const savable = onSaveAnswers !== undefined && state.endStatus !== undefined && state.runId !== undefined && !state.dryRun;
	const save = () => {
		if (!savable) {
			return;
		}

		try {
			const {file, replay} = onSaveAnswers(state.runId!);
			setSaved({ok: true, lines: savedAnswersLines(file, replay)});
		} catch (error) {
			setSaved({ok: false, lines: [`✗ ${(error as Error).message}`]});
		}
	};

	useRunInput(run, {isActive, ...(onClose === undefined ? {} : {onClose}), ...(savable ? {onSave: save} : {})});
	const {rows, columns} = useWindowSize();

	const ended = useRef(false);
	useEffect(() => {
		if (state.endStatus !== undefined && !ended.current) {
			ended.current = true;
			onEnd?.(state.endStatus);
		}
	}, [state.endStatus, onEnd]);

	const prompt = state.prompts[0];
	// The step with the open question comes first; the rest run in parallel.
	const asked = prompt === undefined ? undefined : unitKey(prompt.stepId, prompt.target);
	const live = asked === undefined ? state.live : [...state.live].sort((a, b) => Number(b.key === asked) - Number(a.key === asked));
	// The log fills the screen but never overflows it: a frame taller than the terminal forces a full clear.
	const logHeight = Math.min(outputKeep, Math.max(tailHeight, rows - logChrome - Math.max(0, live.length - 1) * 2));
	const progress = state.total > 0 ? `${Math.min(state.finished + 1, state.total)}/${state.total}` : undefined;

	return (
		<>
			<Static items={[...state.items]}>{item => <FinishedLine key={item.key} item={item} />}</Static>
			<Box flexDirection="column">
				{state.status === 'waiting' ? <Text dimColor>Starting…</Text> : null}
				{state.status === 'running' && state.live.length === 0 && prompt === undefined && !state.items.some(item => item.kind === 'step') ? (
					<Text dimColor>Reading the targets…</Text>
				) : null}
				{live.map(step => (
					<Box key={step.key} marginTop={1}>
						<LiveStepView step={step} full={state.showDiff} compact={state.showLog} {...(progress === undefined ? {} : {progress})} />
					</Box>
				))}
				{state.showLog ? (
					<Box flexDirection="column" marginTop={1}>
						<Text dimColor wrap="truncate-end">
							Output: last {Math.min(logHeight, state.output.lines.length)} of {state.output.received} lines · full log: {channel.transcriptPath}
						</Text>
						<OutputTail lines={state.output.lines} height={logHeight} />
					</Box>
				) : (state.live.length > 0 || prompt !== undefined) && state.output.lines.length > 0 ? (
					<Box marginTop={state.live.length === 0 ? 1 : 0}>
						<OutputTail lines={state.output.lines} height={tailHeight} />
					</Box>
				) : null}
				{prompt === undefined || state.status === 'stopping' ? null : (
					<Box marginTop={1} paddingLeft={2}>
						<PromptView prompt={prompt} />
					</Box>
				)}
				{state.status === 'stopping' ? <Text color="yellow">{stoppingText(state.runId)}</Text> : null}
				{state.endStatus === undefined || state.runId === undefined ? null : (
					<Box marginTop={1}>
						<RunSummary
							status={state.endStatus}
							counts={state.counts}
							notDone={state.notDone}
							{...(state.lost ? {lost: state.lost} : {})}
							{...(state.dryRun ? {wouldChange: state.wouldChange} : {})}
							runId={state.runId}
							{...(channel.checkCommand === undefined ? {} : {check: channel.checkCommand})}
						/>
					</Box>
				)}
				{saved === undefined ? null : (
					<Box marginTop={1} flexDirection="column">
						{saved.lines.map(line => (
							<Text key={line} color={saved.ok ? 'green' : 'red'}>
								{line}
							</Text>
						))}
					</Box>
				)}
				{state.status === 'stopping' ? null : (
					<Box paddingLeft={state.endStatus === undefined ? 2 : 0}>
						<KeyHints hints={hintsFor(state, onClose !== undefined, planWidth(columns), savable)} />
					</Box>
				)}
			</Box>
		</>
	);
}
