// OpenVPN on the host: installed when missing (with a clear message where apt is not there), its version read
// so configs and warnings fit it (static-key mode is deprecated in 2.6 and refused by 2.7 without an override).
import {StepFailure} from '../../source/engine/errors.js';
import {defineStep, type FactDef} from '../../source/engine/step.js';
import type {Step} from '../../source/engine/types.js';
import {programPath} from '../../source/facts/command.js';
import {openvpnVersionDef} from '../../source/facts/openvpn.js';
import {aptInstallScript} from './apt-packages.js';
import {noop, plan} from './plan-helpers.js';

/** Whether the config must say `allow-deprecated-insecure-static-crypto` (OpenVPN 2.7 and later). */
export function needsStaticOverride(version: readonly [number, number] | undefined): boolean {
	return version !== undefined && (version[0] > 2 || (version[0] === 2 && version[1] >= 7));
}

export const staticKeyWarning =
	'Static-key mode (the guide\'s `secret` file) is deprecated: OpenVPN 2.6 logs "DEPRECATION: No tls-client or tls-server option in configuration detected. OpenVPN 2.7 will remove the functionality to run a VPN without TLS"; 2.7 refuses it unless the config says allow-deprecated-insecure-static-crypto (written here on 2.7+). It has no forward secrecy and disables DCO. Prefer mode tls-fingerprint.';

/** openvpn's version, apt, and where each extra program is (`has-NAME`). */
function installFactDefs(extra: readonly string[]) {
	const shared = {'openvpn-version': openvpnVersionDef(), apt: programPath('apt-get')};
	const programs: Readonly<Record<`has-${string}`, FactDef<string | undefined>>> = Object.fromEntries(extra.map(name => [`has-${name}`, programPath(name)]));
	return {...shared, ...programs} as typeof shared & typeof programs;
}

export function openvpnInstallStep(options: {id: string; role: string; extraPackages?: readonly string[]; why: string}): Step {
	const extra = options.extraPackages ?? [];
	return defineStep({
		id: options.id,
		title: 'Install OpenVPN',
		why: options.why,
		role: options.role,
		facts: () => installFactDefs(extra),
		plan(ctx, facts) {
			const openvpn = facts['openvpn-version'];
			if (openvpn === undefined) {
				return plan(
					[{kind: 'command', title: `apt-get install openvpn ${extra.join(' ')}`.trim(), script: aptInstallScript(['openvpn', ...extra])}],
					['Offline target: the packages are installed when the image first boots with a live target, or install them into the image yourself.'],
				);
			}

			const missing = [...(openvpn.version ? [] : ['openvpn']), ...extra.filter(name => facts[`has-${name}`] === undefined)];
			if (missing.length === 0) {
				return noop(`${openvpn.line.split(' ').slice(0, 2).join(' ')} is installed.`);
			}

			if (facts.apt === undefined) {
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
	});
}
