import {Box, Text} from 'ink';
import {TextEditor} from '../components/text-editor.js';
import type {FieldValue, FormField} from './form-fields.js';

export interface FormFieldRowProps {
	/** The field to show. */
	readonly field: FormField;
	/** Its current value. */
	readonly value: FieldValue;
	/** The message under it, naming the field and the expected form. */
	readonly error?: string;
	/** Has the keyboard: shows the editor and the help line. */
	readonly focused: boolean;
	/** Labels are padded to this width so values line up. */
	readonly labelWidth: number;
	/** Typing, a choice or y/n changed the value. */
	readonly onChange: (value: FieldValue) => void;
	/** ⏎ in the field, with the keys typed after it in the same burst. */
	readonly onSubmit: (rest: string) => void;
}

function shownValue(field: FormField, value: FieldValue): string {
	if (typeof value === 'boolean') {
		return value ? 'yes' : 'no';
	}

	return field.kind === 'secret' ? '*'.repeat(value.length) : value;
}

/** One field of the params form: label, value (an editor when focused), help and error. */
export function FormFieldRow({field, value, error, focused, labelWidth, onChange, onSubmit}: FormFieldRowProps) {
	const editsText = focused && (field.kind === 'text' || field.kind === 'secret' || field.kind === 'target');
	return (
		<Box flexDirection="column">
			<Box>
				{/* The pointer and the label keep their width; a long value is the one that gives way. */}
				<Box flexShrink={0}>
					<Text color={focused ? 'blue' : undefined}>{focused ? '❯ ' : '  '}</Text>
					<Text bold={focused}>{field.label.padEnd(labelWidth)}</Text>
					<Text>{'  '}</Text>
				</Box>
				{editsText ? (
					<TextEditor value={String(value)} {...(field.kind === 'secret' ? {mask: '*'} : {})} onChange={onChange} onSubmit={onSubmit} />
				) : (
					<Text wrap="truncate-end">
						{shownValue(field, value)}
						{focused && field.kind === 'boolean' ? <Text dimColor> (y/n)</Text> : ''}
					</Text>
				)}
			</Box>
			{focused ? (
				<Box paddingLeft={4} flexDirection="column">
					<Text dimColor>{field.help}</Text>
					{field.kind === 'enum' ? (
						<Text>
							{(field.choices ?? []).map((choice, index) => (
								<Text key={choice}>
									{index === 0 ? '' : '  '}
									<Text inverse={choice === value}>{choice}</Text>
								</Text>
							))}
							<Text dimColor> (←/→ or space)</Text>
						</Text>
					) : null}
				</Box>
			) : null}
			{error === undefined ? null : (
				<Box paddingLeft={4}>
					<Box flexShrink={0} marginRight={1}>
						<Text color="red">✗</Text>
					</Box>
					<Text color="red">{error}</Text>
				</Box>
			)}
		</Box>
	);
}
