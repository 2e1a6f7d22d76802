// The check report as lines: status, what was read, why it matters, and the command that fixes it.
import type {Finding} from '../engine/checker.js';
import type {CheckStatus} from '../engine/types.js';
import {checkCounts, checkCountsText, checkText} from '../wording/index.js';

const marks: Record<CheckStatus, string> = {pass: '✔ pass', warn: '! warn', fail: '✖ fail', 'n/a': '- n/a ', deferred: '… wait'};

/** `fixCommand` turns a step id into what the operator types to fix it. */
export function checkLines(findings: readonly Finding[], fixCommand: (finding: Finding) => string): string[] {
	const lines: string[] = [];
	let host = '';
	for (const finding of findings) {
		if (finding.target !== host) {
			host = finding.target;
			lines.push(`${host}`);
		}

		lines.push(`  ${marks[finding.check.status]}  ${checkText(finding.check)}`);
		if (finding.check.status !== 'pass' && finding.check.status !== 'n/a') {
			lines.push(`          why: ${finding.check.reason}`);
			if (finding.fix) {
				lines.push(`          fix: ${fixCommand(finding)}`);
			}
		}
	}

	lines.push(checkCountsText(checkCounts(findings), {notApplicable: false}));
	return lines;
}
