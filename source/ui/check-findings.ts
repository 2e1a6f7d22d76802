// The check report as data: hosts in order, which findings show, counts, and the steps a choice of findings needs. Pure.
import type {Finding, HostPlatform} from '../engine/checker.js';
import type {CheckReport, StartRequest} from '../engine/channel.js';
import type {CheckStatus} from '../engine/types.js';

/** One host's part of the report. */
export interface HostReport {
	/** The target label, as in the findings. */
	readonly target: string;
	/** Absent when the host could not be read. */
	readonly platform?: HostPlatform;
	/** Indexes into the report's findings, in the engine's order. */
	readonly findings: readonly number[];
}

/** Hosts in the order their findings came, then any host with a platform but no finding. */
export function hostReports(report: CheckReport): HostReport[] {
	const byTarget = new Map<string, number[]>();
	for (const [index, finding] of report.findings.entries()) {
		byTarget.set(finding.target, [...(byTarget.get(finding.target) ?? []), index]);
	}

	for (const {target} of report.platforms) {
		if (!byTarget.has(target)) {
			byTarget.set(target, []);
		}
	}

	return [...byTarget].map(([target, findings]) => {
		const platform = report.platforms.find(item => item.target === target);
		return platform === undefined ? {target, findings} : {target, platform, findings};
	});
}

/** Finding indexes in the order shown: grouped by host. */
export function displayOrder(report: CheckReport): number[] {
	return hostReports(report).flatMap(host => host.findings);
}

/** Warn and fail ask for the operator's attention; pass and n/a do not. */
export function needsAttention(finding: Finding): boolean {
	return finding.check.status === 'warn' || finding.check.status === 'fail';
}

/** Shown by default when it needs attention; with `showPasses`, always. */
export function isShown(finding: Finding, showPasses: boolean): boolean {
	return showPasses || needsAttention(finding);
}

/** How many findings have each status. */
export function checkCounts(findings: readonly Finding[]): Record<CheckStatus, number> {
	const counts: Record<CheckStatus, number> = {pass: 0, warn: 0, fail: 0, 'n/a': 0, deferred: 0};
	for (const finding of findings) {
		counts[finding.check.status]++;
	}

	return counts;
}

/** `2 pass, 1 warn, 2 fail`, with `, 1 n/a` only when there are any, as the CLI ends its report. */
export function countsText(counts: Readonly<Record<CheckStatus, number>>): string {
	return `${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail${counts['n/a'] > 0 ? `, ${counts['n/a']} n/a` : ''}${counts.deferred > 0 ? `, ${counts.deferred} wait for the live host` : ''}`;
}

/** The fixing steps of the chosen findings, once each, in the wizard's order (`stepOrder` is its step ids). */
export function fixSteps(findings: readonly Finding[], chosen: readonly number[], stepOrder: readonly string[]): string[] {
	const ids = new Set(chosen.flatMap(index => findings[index]?.fix ?? []));
	const rank = (id: string) => {
		const index = stepOrder.indexOf(id);
		return index === -1 ? stepOrder.length : index;
	};

	return [...ids].sort((a, b) => rank(a) - rank(b));
}

/** The request's target specs on one line: `ssh:node1, ssh:node2`. */
export function requestTargets(request: StartRequest): string {
	return [...new Set(Object.values(request.bindings).flat())].join(', ');
}

/** The platform in one line: distribution, kernel, init, firewall. */
export function platformText({platform}: HostPlatform): string {
	return `${platform.distribution} · kernel ${platform.kernel} · ${platform.init} · firewall ${platform.firewall}`;
}
