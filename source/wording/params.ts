// How a parameter is explained when it is asked: the form's help line and the line prompt say the same.
import {expectedForm} from '../engine/params.js';
import type {Param, ParamValue} from '../engine/types.js';

/** `the public address of this node (an IPv4 address such as 192.0.2.10; may be empty)` */
export function paramHelp(param: Param): string {
	const expected = param.type === 'enum' ? `one of ${(param.choices ?? []).join(', ')}` : expectedForm[param.type];
	return `${param.help} (${expected}${param.optional ? '; may be empty' : ''})`;
}

/** A value as it is typed: lists joined with commas. */
export function paramValueText(value: ParamValue): string {
	return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Asked when esc is pressed in a form with something typed. */
export const leaveFormText = 'Leave the form? What you typed here is lost. esc: leave · any other key: stay';
