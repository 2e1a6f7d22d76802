import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {useState} from 'react';
import type {RunSummary, WizardSummary} from '../engine/channel.js';
import {KeyHints} from './key-hints.js';
import {ResumePrompt} from './resume-prompt.js';

export interface HomeProps {
	/** The guides, in the order listed. */
	readonly wizards: readonly WizardSummary[];
	/** Saved runs; those not `done` are offered for resuming. */
	readonly runs: readonly RunSummary[];
	/** A guide was chosen. */
	readonly onOpenGuide: (wizard: WizardSummary) => void;
	/** A saved run was chosen and the resume question answered yes. */
	readonly onResume: (run: RunSummary) => void;
	/** q was pressed. */
	readonly onQuit: () => void;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

// The pointer marks the chosen row only in the list that has the keyboard.
function Pointer({isSelected = false}: {readonly isSelected?: boolean}) {
	return (
		<Box marginRight={1}>
			<Text color="blue">{isSelected ? '❯' : ' '}</Text>
		</Box>
	);
}

function NoPointer() {
	return (
		<Box marginRight={1}>
			<Text> </Text>
		</Box>
	);
}

/** Which list has the keyboard. */
export type HomeFocus = 'guides' | 'runs';

function columns(rows: ReadonlyArray<readonly string[]>): string[] {
	const widths: number[] = [];
	for (const row of rows) {
		for (const [index, cell] of row.entries()) {
			widths[index] = Math.max(widths[index] ?? 0, cell.length);
		}
	}

	return rows.map(row => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  '));
}

/** The guides as aligned rows: id, title, roles, step count. */
export function guideLabels(wizards: readonly WizardSummary[]): string[] {
	return columns(wizards.map(wizard => [wizard.id, wizard.title, wizard.roles.join(', '), `${wizard.steps.length} step${wizard.steps.length === 1 ? '' : 's'}`]));
}

/** Saved runs as aligned rows: id, guide, targets, where it stopped, when. */
export function runLabels(runs: readonly RunSummary[]): string[] {
	return columns(runs.map(run => [run.id, run.guide, run.targets, `${run.status} at ${run.lastStep} (${run.done}/${run.total})`, run.updated]));
}

/** The first screen: pick a guide, or resume a saved run. */
export function Home({wizards, runs, onOpenGuide, onResume, onQuit, isActive = true}: HomeProps) {
	const resumable = runs.filter(run => run.status !== 'done');
	const [focus, setFocus] = useState<HomeFocus>(wizards.length === 0 && resumable.length > 0 ? 'runs' : 'guides');
	const [confirming, setConfirming] = useState<RunSummary | undefined>(undefined);
	const listsActive = isActive && confirming === undefined;

	useInput(
		(input, key) => {
			if (key.tab && resumable.length > 0 && wizards.length > 0) {
				setFocus(focus === 'guides' ? 'runs' : 'guides');
			} else if (input === 'q') {
				onQuit();
			}
		},
		{isActive: listsActive},
	);

	const guideItems = guideLabels(wizards).map((label, index) => ({key: wizards[index]!.id, label, value: wizards[index]!}));
	const runItems = runLabels(resumable).map((label, index) => ({key: resumable[index]!.id, label, value: resumable[index]!}));

	return (
		<Box flexDirection="column">
			<Text bold>Waymark · server-setup guides</Text>
			<Box marginTop={1} flexDirection="column">
				<Text bold={focus === 'guides'} dimColor={focus !== 'guides'}>
					Guides
				</Text>
				{wizards.length === 0 ? (
					<Text dimColor>No guides found.</Text>
				) : (
					<SelectInput
						items={guideItems}
						isFocused={listsActive && focus === 'guides'}
						indicatorComponent={focus === 'guides' ? Pointer : NoPointer}
						onSelect={item => {
							onOpenGuide(item.value);
						}}
					/>
				)}
			</Box>
			{resumable.length === 0 ? null : (
				<Box marginTop={1} flexDirection="column">
					<Text bold={focus === 'runs'} dimColor={focus !== 'runs'}>
						Resume
					</Text>
					<SelectInput
						items={runItems}
						isFocused={listsActive && focus === 'runs'}
						indicatorComponent={focus === 'runs' ? Pointer : NoPointer}
						onSelect={item => {
							setConfirming(item.value);
						}}
					/>
				</Box>
			)}
			<Box marginTop={1} flexDirection="column">
				{confirming === undefined ? (
					<KeyHints
						hints={[
							{key: '↑↓', label: 'choose'},
							{key: '⏎', label: 'open'},
							...(resumable.length > 0 && wizards.length > 0 ? [{key: 'tab', label: focus === 'guides' ? 'saved runs' : 'guides'}] : []),
							{key: 'q', label: 'quit'},
						]}
					/>
				) : (
					<ResumePrompt
						run={confirming}
						isActive={isActive}
						onResume={onResume}
						onCancel={() => {
							setConfirming(undefined);
						}}
					/>
				)}
			</Box>
		</Box>
	);
}
