// Checks and findings as sentences, and the count line that ends a check report.
import type {Finding} from '../engine/checker.js';
import type {Check, CheckStatus} from '../engine/types.js';

/** How many findings have each status. */
export type CheckCounts = Readonly<Record<CheckStatus, number>>;

/** `Password logins: PasswordAuthentication yes in …`: what a check looked at and what it read. */
export function checkText(check: Check): string {
	return `${check.title}: ${check.evidence}`;
}

/** How many findings have each status. */
export function checkCounts(findings: readonly Finding[]): Record<CheckStatus, number> {
	const counts: Record<CheckStatus, number> = {pass: 0, warn: 0, fail: 0, 'n/a': 0, deferred: 0};
	for (const finding of findings) {
		counts[finding.check.status]++;
	}

	return counts;
}

/**
 * `2 pass, 1 warn, 2 fail, 1 n/a`: n/a and the checks that wait for the live host only when there are any.
 * The `waymark check` lines have never listed n/a; `notApplicable: false` keeps them so.
 */
export function checkCountsText(counts: CheckCounts, {notApplicable = true}: {readonly notApplicable?: boolean} = {}): string {
	const na = notApplicable && counts['n/a'] > 0 ? `, ${counts['n/a']} n/a` : '';
	const waiting = counts.deferred > 0 ? `, ${counts.deferred} wait for the live host` : '';
	return `${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail${na}${waiting}`;
}
