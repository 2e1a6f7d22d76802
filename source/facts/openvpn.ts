// Which OpenVPN the host has: configs and warnings depend on it (2.7 refuses static keys without an override).
import type {FactDef} from '../engine/step.js';
import {commandAnswer} from './command.js';

export const openvpnVersionProbe = 'openvpn --version 2>/dev/null | head -n 1';

export interface OpenvpnFound {
	/** The first line of `openvpn --version`, '' when openvpn is missing. */
	readonly line: string;
	/** [major, minor], undefined when the line names no OpenVPN version (openvpn is missing). */
	readonly version: readonly [number, number] | undefined;
}

/** `openvpn --version`, parsed; undefined when the target cannot be asked (offline). */
export function openvpnVersionDef(): FactDef<OpenvpnFound | undefined> {
	const def = commandAnswer(openvpnVersionProbe);
	return {request: def.request, parse: fact => found(def.parse(fact))};
}

function found(answer: string | null | undefined): OpenvpnFound | undefined {
	if (answer === undefined) {
		return undefined;
	}

	const match = /^OpenVPN (\d+)\.(\d+)/.exec(answer ?? '');
	return {line: answer ?? '', version: match ? [Number(match[1]), Number(match[2])] : undefined};
}
