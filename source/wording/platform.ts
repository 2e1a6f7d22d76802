// What a host is and where it departs from the guide, as a run's preflight and a check report say it.
import type {HostPlatform} from '../engine/checker.js';

/** `ssh:node1: Debian GNU/Linux 12, kernel 6.1.0, systemd, firewall nft`: a run's preflight line. */
export function platformLine(target: string, platform: Readonly<Record<string, string>>): string {
	const {distribution, kernel, init, firewall} = platform;
	return `${target}: ${distribution}, kernel ${kernel}, ${init}, firewall ${firewall}`;
}

/** The platform in one line of a check report: distribution, kernel, init, firewall. */
export function platformText({platform}: HostPlatform): string {
	return `${platform.distribution} · kernel ${platform.kernel} · ${platform.init} · firewall ${platform.firewall}`;
}

/** One way the host departs from the guide. */
export function differenceText(difference: string): string {
	return `differs from the guide: ${difference}`;
}
