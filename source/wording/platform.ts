// What a host is and where it departs from the guide, as a run's preflight and a check report say it.
import type {HostPlatform} from '../engine/checker.js';

/** `ssh:node1: Debian GNU/Linux 12, kernel 6.1.0, systemd, firewall nft`: a run's preflight line. */
export function platformLine(target: string, platform: Readonly<Record<string, string>>): string {
	const {distribution, kernel, init, firewall} = platform;
	return offline(platform) ? `${target}: ${offlineText(platform)}` : `${target}: ${distribution}, kernel ${kernel}, ${init}, firewall ${firewall}`;
}

/** What the lines say of a host. */
type PlatformWords = {readonly distribution?: string; readonly kernel?: string; readonly init?: string; readonly firewall?: string};

/** An offline image answers no commands: what it runs is decided by the machine that boots it. */
function offline(platform: PlatformWords): boolean {
	return [platform.kernel, platform.init, platform.firewall].every(value => value?.startsWith('unknown (offline)'));
}

function offlineText(platform: PlatformWords): string {
	return `offline image (${platform.distribution ?? 'unknown'}); its kernel, init and firewall are known once it boots`;
}

/** The platform in one line of a check report: distribution, kernel, init, firewall. */
export function platformText({platform}: HostPlatform): string {
	if (offline(platform)) {
		return offlineText(platform);
	}

	return `${platform.distribution} · kernel ${platform.kernel} · ${platform.init} · firewall ${platform.firewall}`;
}

/** One way the host departs from the guide. */
export function differenceText(difference: string): string {
	return `differs from the guide: ${difference}`;
}
