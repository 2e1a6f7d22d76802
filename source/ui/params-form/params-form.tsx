import {Box, Text, useStdout} from 'ink';
import {wrappedRows} from '../components/wrapped-rows.js';
import {useRef} from 'react';
import {scrollWindow, type ScrollWindow} from '../components/scroll-window.js';
import type {StartRequest, WizardSummary} from '../../engine/channel.js';
import type {ParamError} from '../../engine/types.js';
import {KeyHints} from '../components/key-hints.js';
import {FormFieldRow} from './form-field.js';
import {useParamsFormInput} from './use-params-form-input.js';
import {useParamsFormState} from './use-params-form-state.js';
import {leaveFormText} from '../../wording/index.js';

/** Why the run could not start after the form was sent (for example a cross-field check). */
export interface FormRejection {
	/** Shown under the form. */
	readonly message: string;
	/** Shown under the fields they name. */
	readonly errors?: readonly ParamError[];
}

export interface ParamsFormProps {
	/** The guide whose targets and params are asked. */
	readonly wizard: WizardSummary;
	/** Called with a request only when every field is valid. */
	readonly onSubmit: (request: StartRequest) => void;
	/** esc. */
	readonly onBack: () => void;
	/** Targets to prefill, by role. */
	readonly bindings?: Readonly<Record<string, readonly string[]>>;
	/** Answers to prefill (an answers file, the last run of this guide). */
	readonly answers?: Readonly<Record<string, unknown>>;
	/** Shown after `onSubmit` was refused. */
	readonly rejection?: FormRejection;
	/** What ⏎ on the last field does, in a word (default `start`). */
	readonly submitLabel?: string;
	/** Shown under the form while the sent request is handled, e.g. `Checking ssh:node1…`; only esc works meanwhile. */
	readonly busy?: string;
	/** Listen to keys. */
	readonly isActive?: boolean;
}

const errorProp = (error: string | undefined) => (error === undefined ? {} : {error});

/** Targets and parameters of a guide: one field each, validated on ⏎; nothing is sent while any field is invalid. */
export function ParamsForm({wizard, onSubmit, onBack, bindings, answers, rejection, submitLabel = 'start', busy, isActive = true}: ParamsFormProps) {
	const form = useParamsFormState(wizard, onSubmit, bindings, answers);
	useParamsFormInput(form, {onBack, busy: busy !== undefined, isActive});
	const {state, change, submitField} = form;
	const editing = isActive && busy === undefined;

	const labelWidth = Math.max(0, ...state.fields.map(field => field.label.length));
	const roleCount = wizard.roles.length;
	// A form taller than the terminal scrolls so the focused field, its help and its message stay in view.
	const {stdout} = useStdout();
	const screen = stdout as {readonly columns?: number; readonly rows?: number};
	const windowRef = useRef<ScrollWindow | undefined>(undefined);
	const columns = Math.max(20, screen.columns || 80);
	const heights = state.fields.map((field, index) => {
		const header = index === 0 || index === roleCount ? 2 : 0;
		const error = state.errors[field.id] ?? rejection?.errors?.find(item => item.field === field.id)?.message;
		const lines = (text: string) => Math.max(1, wrappedRows(text, columns - 6));
		const focusedRows = index === state.focus ? lines(field.help) + (field.kind === 'enum' ? 1 : 0) : 0;
		// A value is cut to one row, except in the focused field's editor, where it wraps inside its column.
		const valueRows = index === state.focus ? Math.max(1, wrappedRows(String(state.values[field.id] ?? ''), columns - labelWidth - 4)) : 1;
		return header + valueRows + focusedRows + (error === undefined ? 0 : lines(error));
	});
	const chrome = 6 + (busy === undefined ? 0 : 2) + (rejection === undefined ? 0 : 2);
	const shown = screen.rows ? scrollWindow(heights, state.focus, screen.rows - chrome, windowRef.current) : {start: 0, end: state.fields.length};
	windowRef.current = shown;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{wizard.title}</Text> <Text dimColor>· targets and parameters</Text>
			</Text>
			{shown.start > 0 ? <Text dimColor>↑ {shown.start} more</Text> : null}
			{state.fields
				.slice(shown.start, shown.end)
				.map((field, offset) => ({field, index: shown.start + offset}))
				.map(({field, index}) => (
					<Box key={field.id} flexDirection="column" marginTop={index === 0 || index === roleCount ? 1 : 0}>
						{index === 0 ? <Text dimColor>Targets</Text> : index === roleCount ? <Text dimColor>Parameters</Text> : null}
						<FormFieldRow
							field={field}
							value={state.values[field.id] ?? ''}
							focused={editing && index === state.focus}
							labelWidth={labelWidth}
							{...errorProp(state.errors[field.id] ?? rejection?.errors?.find(item => item.field === field.id)?.message)}
							onChange={value => {
								change(field.id, value);
							}}
							onSubmit={submitField}
						/>
					</Box>
				))}
			{shown.end < state.fields.length ? <Text dimColor>↓ {state.fields.length - shown.end} more</Text> : null}
			{busy === undefined ? null : (
				<Box marginTop={1}>
					<Text color="cyan">{busy}</Text>
				</Box>
			)}
			{state.leaving ? (
				<Box marginTop={1}>
					<Text color="yellow">{leaveFormText}</Text>
				</Box>
			) : null}
			{rejection === undefined || busy !== undefined ? null : (
				<Box marginTop={1}>
					<Text color="red">✗ {rejection.message}</Text>
				</Box>
			)}
			<Box marginTop={1}>
				<KeyHints
					hints={[
						...(busy === undefined
							? [
									{key: '⏎', label: state.focus === state.fields.length - 1 ? submitLabel : 'next'},
									{key: 'tab/shift+tab/↑↓', label: 'move'},
								]
							: []),
						{key: 'esc', label: 'back'},
					]}
				/>
			</Box>
		</Box>
	);
}
