// Things that go bad with time: certificates and CRLs are checked against the clock, 30 days ahead.
import {X509Certificate} from 'node:crypto';
import {readCrl} from '../../source/keys/pki.js';
import type {Check} from '../../source/engine/types.js';

export const warnDays = 30;
const day = 24 * 60 * 60 * 1000;

function dateCheck(id: string, title: string, what: string, until: Date, now: Date, consequence: string, warnWithin = warnDays): Check {
	const days = Math.floor((until.getTime() - now.getTime()) / day);
	const evidence = `${what} ${until.toISOString().slice(0, 10)} (${days < 0 ? `${-days} day(s) ago` : `in ${days} day(s)`})`;
	if (days < 0) {
		return {id, title, status: 'fail', evidence, reason: `Expired: ${consequence}`};
	}

	return days < warnWithin
		? {id, title, status: 'warn', evidence, reason: `Renew it before then: ${consequence}`}
		: {id, title, status: 'pass', evidence, reason: `Valid for more than ${warnWithin} days.`};
}

/** A certificate's notAfter against the clock. */
export function certificateExpiryCheck(id: string, title: string, pem: string, now = new Date()): Check {
	let until: Date;
	try {
		until = new Date(new X509Certificate(pem).validTo);
	} catch (error) {
		return {
			id,
			title,
			status: 'fail',
			evidence: `unreadable certificate: ${(error as Error).message}`,
			reason: 'A certificate that cannot be parsed is as good as none.',
		};
	}

	return dateCheck(id, title, 'expires', until, now, 'clients refuse an expired certificate.');
}

/** A CRL's nextUpdate: once it passes, OpenVPN rejects EVERY client ("CRL has expired"). */
export function crlExpiryCheck(id: string, title: string, pem: string, now = new Date()): Check {
	let until: Date | undefined;
	let since: Date;
	try {
		({nextUpdate: until, thisUpdate: since} = readCrl(pem));
	} catch (error) {
		return {id, title, status: 'fail', evidence: `unreadable CRL: ${(error as Error).message}`, reason: 'OpenVPN refuses to start with a CRL it cannot read.'};
	}

	if (until === undefined) {
		return {id, title, status: 'pass', evidence: 'no next update set', reason: 'A CRL without nextUpdate never expires.'};
	}

	// A short-lived CRL (30 days) is signed again once half its life has passed: warn from then, not from its first day.
	const halfLife = Math.floor((until.getTime() - since.getTime()) / day / 2);
	return dateCheck(
		id,
		title,
		'next update',
		until,
		now,
		'OpenVPN rejects every client once the CRL is past its next update; run the wizard again to sign a new one.',
		Math.min(warnDays, halfLife),
	);
}
