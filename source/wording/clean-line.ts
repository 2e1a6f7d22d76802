// Makes a line of command output safe to draw: no escape codes, no carriage-return overdraw, bounded length.
import stripAnsi from 'strip-ansi';

/** Longer lines are cut: one line of output is never more than a few screen rows. */
export const maxLineLength = 1000;

/** Strips ANSI codes, keeps what a terminal would show after `\r` (progress bars), expands tabs, drops control characters. */
export function cleanLine(line: string): string {
	let text = stripAnsi(line);
	const trimmed = text.endsWith('\r') ? text.replace(/\r+$/, '') : text;
	const lastReturn = trimmed.lastIndexOf('\r');
	text = lastReturn === -1 ? trimmed : trimmed.slice(lastReturn + 1);
	text = text.replaceAll('\t', '    ').replaceAll(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
	return text.length > maxLineLength ? `${text.slice(0, maxLineLength - 1)}…` : text;
}
