import {Text} from 'ink';
import type {CheckStatus} from '../../engine/types.js';

/** What a badge marks, which sets its color: a role, a risk, or a check's status. */
export type BadgeVariant = 'role' | 'lockout' | 'reboot' | 'data' | CheckStatus;

export interface BadgeProps {
	/** What the badge marks. */
	readonly variant: BadgeVariant;
	/** The text inside the brackets. */
	readonly children: string;
}

const colors: Readonly<Record<BadgeVariant, string>> = {
	role: 'blue',
	lockout: 'red',
	reboot: 'yellow',
	data: 'magenta',
	pass: 'green',
	warn: 'yellow',
	fail: 'red',
	'n/a': 'gray',
	deferred: 'cyan',
};

/** `[server]`, `[lockout]`: brackets keep it readable without color. */
export function Badge({variant, children}: BadgeProps) {
	return <Text color={colors[variant]}>[{children}]</Text>;
}
