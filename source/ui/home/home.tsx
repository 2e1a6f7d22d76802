import {Box, Text, useWindowSize} from 'ink';
import SelectInput from 'ink-select-input';
import type {RunSummary, WizardSummary} from '../../engine/channel.js';
import {KeyHints} from '../components/key-hints.js';
import {ResumePrompt} from '../resume-prompt/resume-prompt.js';
import {guideLabels, runLabels} from './home-rows.js';
import {useHomeInput} from './use-home-input.js';
import {useHomeState} from './use-home-state.js';

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

/** The first screen: pick a guide, or resume a saved run. */
export function Home({wizards, runs, onOpenGuide, onResume, onQuit, isActive = true}: HomeProps) {
	const resumable = runs.filter(run => run.status !== 'done');
	const home = useHomeState(wizards.length === 0 && resumable.length > 0 ? 'runs' : 'guides');
	const {focus, confirming} = home.state;
	const listsActive = isActive && confirming === undefined;
	const canSwitch = resumable.length > 0 && wizards.length > 0;
	useHomeInput(home, {canSwitch, onQuit, isActive: listsActive});

	// The pointer and its margin take two columns; one more keeps the row off the terminal's last column.
	const width = Math.max(40, useWindowSize().columns - 3);
	const guideItems = guideLabels(wizards, width).map((label, index) => ({key: wizards[index]!.id, label, value: wizards[index]!}));
	const runItems = runLabels(resumable, width).map((label, index) => ({key: resumable[index]!.id, label, value: resumable[index]!}));

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
							home.confirm(item.value);
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
							...(canSwitch ? [{key: 'tab', label: focus === 'guides' ? 'saved runs' : 'guides'}] : []),
							{key: 'q', label: 'quit'},
						]}
					/>
				) : (
					<ResumePrompt run={confirming} isActive={isActive} onResume={onResume} onCancel={home.cancel} />
				)}
			</Box>
		</Box>
	);
}
