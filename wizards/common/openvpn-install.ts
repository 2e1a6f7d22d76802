// OpenVPN on the host: installed when missing (with a clear message where apt is not there), its version read
// so configs and warnings fit it (static-key mode is deprecated in 2.6 and refused by 2.7 without an override).
import {StepFailure} from '../../source/engine/errors.js';
import type {FactRequest, Facts, Step} from '../../source/engine/types.js';
import {aptInstallScript} from './apt-packages.js';
import {fact, noop, output, plan} from './plan-helpers.js';

export const openvpnVersionFact: FactRequest = {kind: 'command', key: 'openvpn-version', command: 'openvpn --version 2>/dev/null | head -n 1'};

/** [major, minor] from `openvpn --version`, or undefined when openvpn is missing or the target is offline. */
export function openvpnVersion(facts: Facts): readonly [number, number] | undefined {
	const match = /^OpenVPN (\d+)\.(\d+)/.exec(output(facts, 'openvpn-version') ?? '');
	return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether the config must say `allow-deprecated-insecure-static-crypto` (OpenVPN 2.7 and later). */
export function needsStaticOverride(version: readonly [number, number] | undefined): boolean {
	return version !== undefined && (version[0] > 2 || (version[0] === 2 && version[1] >= 7));
}

export const staticKeyWarning =
	'Static-key mode (the guide\'s `secret` file) is deprecated: OpenVPN 2.6 logs "DEPRECATION: No tls-client or tls-server option in configuration detected. OpenVPN 2.7 will remove the functionality to run a VPN without TLS"; 2.7 refuses it unless the config says allow-deprecated-insecure-static-crypto (written here on 2.7+). It has no forward secrecy and disables DCO. Prefer mode tls-fingerprint.';

export function openvpnInstallStep(options: {id: string; role: string; extraPackages?: readonly string[]; why: string}): Step {
	const extra = options.extraPackages ?? [];
	return {
		id: options.id,
		title: 'Install OpenVPN',
		why: options.why,
		role: options.role,
		facts: () => [
			openvpnVersionFact,
			{kind: 'command', key: 'apt', command: 'command -v apt-get'},
			...extra.map(name => ({kind: 'command', key: `has-${name}`, command: `command -v ${name}`}) as const),
		],
		plan(ctx, facts) {
			if (fact(facts, 'openvpn-version').unavailable) {
				return plan(
					[{kind: 'command', title: `apt-get install openvpn ${extra.join(' ')}`.trim(), script: aptInstallScript(['openvpn', ...extra])}],
					['Offline target: the packages are installed when the image first boots with a live target, or install them into the image yourself.'],
				);
			}

			const version = openvpnVersion(facts);
			const missing = [...(version ? [] : ['openvpn']), ...extra.filter(name => output(facts, `has-${name}`) === undefined)];
			if (missing.length === 0) {
				return noop(`${output(facts, 'openvpn-version')?.split(' ').slice(0, 2).join(' ')} is installed.`);
			}

			if (output(facts, 'apt') === undefined) {
				throw new StepFailure(
					`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed on ${ctx.target.label}, and it has no apt-get to install ${missing.length > 1 ? 'them' : 'it'}.`,
					`Install ${missing.join(' ')} with the host's package manager (dnf install openvpn, apk add openvpn…), then retry: the step sees it and moves on.`,
				);
			}

			return plan(
				[{kind: 'command', title: `apt-get install ${missing.join(' ')}`, script: aptInstallScript(missing)}],
				[`${missing.join(', ')} missing: installing from the distribution (OpenVPN 2.6 on Debian 12).`],
			);
		},
	};
}
