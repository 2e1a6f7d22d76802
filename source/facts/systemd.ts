// What systemd says about a unit, and whether systemd runs at all, read without failing where it does not.
import type {FactDef} from '../engine/step.js';
import {quote} from '../engine/quote.js';
import {systemdProbe} from './platform.js';

/** Whether systemd is pid 1; undefined when the target cannot be asked (offline), which plans treat apart. */
export function systemdRunning(): FactDef<boolean | undefined> {
	return {request: {kind: 'command', command: systemdProbe}, parse: fact => (fact.unavailable ? undefined : fact.exitCode === 0 && fact.text.trim() === 'yes')};
}

/** `systemctl is-enabled UNIT`: enabled, disabled, static… or undefined when the unit is unknown or systemd cannot be asked. */
export function unitEnabled(unit: string): FactDef<string | undefined> {
	return {
		request: {kind: 'command', command: `systemctl is-enabled ${quote(unit)} 2>/dev/null`},
		parse: fact => (fact.unavailable || fact.exitCode !== 0 ? undefined : fact.text.trim()),
	};
}

/** `systemctl is-active UNIT` (the probe always exits 0): active, inactive, failed, activating…, '' when nothing answered. */
export function unitActive(unit: string): FactDef<string> {
	return {request: {kind: 'command', command: `systemctl is-active ${quote(unit)} 2>/dev/null; true`}, parse: fact => fact.text.trim()};
}

/** A unit counts as running while it is active, and while it reloads. */
export function activeState(state: string): boolean {
	return state === 'active' || state === 'reloading';
}
