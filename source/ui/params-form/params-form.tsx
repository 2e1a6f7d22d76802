import {Box, Text} from 'ink';
import type {StartRequest, WizardSummary} from '../../engine/channel.js';
import type {ParamError} from '../../engine/types.js';
import {KeyHints} from '../components/key-hints.js';
import {FormFieldRow} from './form-field.js';
import {useParamsFormInput} from './use-params-form-input.js';
import {useParamsFormState} from './use-params-form-state.js';

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
export function ParamsForm({wizard, onSubmit, onBack, bindings, rejection, submitLabel = 'start', busy, isActive = true}: ParamsFormProps) {
	const form = useParamsFormState(wizard, onSubmit, bindings);
	useParamsFormInput(form, {onBack, busy: busy !== undefined, isActive});
	const {state, change, submitField} = form;
	const editing = isActive && busy === undefined;

	const labelWidth = Math.max(0, ...state.fields.map(field => field.label.length));
	const roleCount = wizard.roles.length;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{wizard.title}</Text> <Text dimColor>· targets and parameters</Text>
			</Text>
			{state.fields.map((field, index) => (
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
			{busy === undefined ? null : (
				<Box marginTop={1}>
					<Text color="cyan">{busy}</Text>
				</Box>
			)}
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
