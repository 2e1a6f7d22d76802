// The check report as data: hosts in order, which findings show, and the steps a choice of findings needs. Pure.
import type {Finding, HostPlatform} from '../../engine/checker.js';
import type {CheckReport, StartRequest} from '../../engine/channel.js';

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
