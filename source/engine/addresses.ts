// IPv4 addresses and networks as params take them: dotted quads without leading zeros (which some tools read as octal).
import {isIP} from 'node:net';

export function isIpv4(value: string): boolean {
	return isIP(value) === 4 && !/(^|\.)0\d/.test(value);
}

export function isCidr(value: string): boolean {
	const match = /^([\d.]+)\/(\d{1,2})$/.exec(value);
	return match !== null && isIpv4(match[1]!) && Number(match[2]) <= 32;
}
