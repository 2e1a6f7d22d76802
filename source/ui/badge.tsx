import {Text} from 'ink';

/** What a badge marks, which sets its color. */
export type BadgeVariant = 'role' | 'lockout' | 'reboot' | 'data';

export interface BadgeProps {
	/** What the badge marks. */
	readonly variant: BadgeVariant;
	/** The text inside the brackets. */
	readonly children: string;
}

const colors: Record<BadgeVariant, string> = {role: 'blue', lockout: 'red', reboot: 'yellow', data: 'magenta'};

/** `[server]`, `[lockout]`: brackets keep it readable without color. */
export function Badge({variant, children}: BadgeProps) {
	return <Text color={colors[variant]}>[{children}]</Text>;
}
