import {Box, Text} from 'ink';
import type {ShownPlan} from '../../engine/types.js';
import {deferredCommandText, diffStatText, newFileText} from '../../wording/index.js';
import {DiffView} from '../components/diff-view.js';

export interface PlanViewProps {
	/** What the step will change; secrets already masked. */
	readonly plan: ShownPlan;
	/** Show every line of every diff and script instead of the first few. */
	readonly full: boolean;
}

/** Diff lines shown per file until `d` is pressed. */
export const shortDiffLines = 16;
/** Script lines shown per command until `d` is pressed. */
export const shortScriptLines = 3;

/** The columns a plan's diff and script lines are indented by under their file or command line. */
const indent = 2;

/** True when `d` would show more than is shown now: more lines, or a line cut short at this terminal's `width`. */
export function planHasMore(plan: ShownPlan, width = Number.POSITIVE_INFINITY): boolean {
	const cut = (text: string) => text.split('\n').some(line => line.length > width - indent);
	return plan.items.some(item =>
		item.kind === 'file'
			? item.diff.split('\n').length > shortDiffLines || (!item.secret && cut(item.diff))
			: item.kind === 'command' && (item.script.split('\n').length > shortScriptLines || cut(item.script)),
	);
}

/** A step's plan: notes, then each file (with its diff), directory and command. */
export function PlanView({plan, full}: PlanViewProps) {
	if (plan.items.length === 0 && plan.notes.length === 0) {
		return <Text dimColor>Nothing to change.</Text>;
	}

	return (
		<Box flexDirection="column">
			{plan.notes.map(note => (
				<Text key={`note:${note}`}>
					<Text dimColor>note:</Text> {note}
				</Text>
			))}
			{/* biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every kind of item (tsc checks it) */}
			{plan.items.map((item, index) => {
				switch (item.kind) {
					case 'file': {
						return (
							// Items may repeat a path (write, then chmod): the position identifies them.
							// biome-ignore lint/suspicious/noArrayIndexKey: lines of a finished diff never move, and repeat (blank lines)
							<Box key={index} flexDirection="column">
								<Text>
									<Text color="yellow">file</Text> {item.path}
									{item.created ? ` (${newFileText})` : ''}
									{item.secret ? '' : <Text dimColor>{` ${diffStatText(item.diff)}`}</Text>}
								</Text>
								<Box paddingLeft={indent}>
									<DiffView diff={item.diff} {...(full ? {} : {maxLines: shortDiffLines})} />
								</Box>
							</Box>
						);
					}

					case 'dir': {
						return (
							// biome-ignore lint/suspicious/noArrayIndexKey: lines of a finished diff never move, and repeat (blank lines)
							<Text key={index}>
								<Text color="yellow">mkdir</Text> {item.path}
							</Text>
						);
					}

					case 'command': {
						const lines = item.script.split('\n');
						const shown = full ? lines : lines.slice(0, shortScriptLines);
						return (
							// biome-ignore lint/suspicious/noArrayIndexKey: lines of a finished diff never move, and repeat (blank lines)
							<Box key={index} flexDirection="column">
								<Text>
									<Text color="yellow">run</Text> {item.title}
									{item.deferred ? <Text color="magenta"> ({deferredCommandText})</Text> : ''}
								</Text>
								<Box paddingLeft={indent} flexDirection="column">
									{shown.map((line, lineIndex) => (
										// biome-ignore lint/suspicious/noArrayIndexKey: lines of a finished diff never move, and repeat (blank lines)
										<Text key={lineIndex} dimColor wrap={full ? 'wrap' : 'truncate-end'}>
											$ {line}
										</Text>
									))}
									{lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more lines (d: full script)</Text> : null}
								</Box>
							</Box>
						);
					}
				}
			})}
		</Box>
	);
}
