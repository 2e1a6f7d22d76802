// vpn-image as data: the payload runner and the CRL timer are enabled from what systemd says, not only after the
// files change, so a run cut off between the write and the enable still enables them next time.
import assert from 'node:assert/strict';
import {judgePlan} from '../../../source/engine/converge.js';
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import type {CaseTable} from '../cases.js';
import {type FactValues, facts, step} from '../step-harness.js';
import {answers, ctx, image, secrets} from './fixtures.js';

const paths = [
	'/usr/local/sbin/cloudpipe-fetch',
	'/etc/systemd/system/cloudpipe-payload.service',
	'/etc/systemd/system/cloudpipe-crl.service',
	'/etc/systemd/system/cloudpipe-crl.timer',
];
const enable = 'command Enable the payload unit and the CRL timer (systemd)';
const disabled = 'disabled disabled inactive\n';
const enabled = 'enabled enabled active\n';
const none: FactValues = Object.fromEntries(paths.map(path => [path, null]));

// The files as the first plan writes them, for the cases where they are already in place.
const written: FactValues = Object.fromEntries(
	step(cloudpipe, 'vpn-image')
		.plan(ctx, facts({...none, 'boot-units': disabled}))
		.actions.flatMap(action => (action.kind === 'file' ? [[action.path, action.after]] : [])),
);
const offline: FactValues = {...written, 'boot-units': {unavailable: true}};

export const vpnImageCases: CaseTable = {
	wizard: cloudpipe,
	step: 'vpn-image',
	answers,
	secrets,
	cases: [
		{
			name: 'a fresh image: the fetch script and the three units written, then enabled',
			facts: {...none, 'boot-units': disabled},
			expected: [...paths.map(path => `file ${path}`), enable],
			after: {'boot-units': enabled},
		},
		{
			name: 'cut off after the write, before the enable: the next run still enables them',
			facts: {...written, 'boot-units': disabled},
			expected: [enable],
			after: {'boot-units': enabled},
		},
		{name: 'written and enabled, the timer active: nothing to do', facts: {...written, 'boot-units': enabled}, expected: 'noop'},
		{name: 'written, no systemd (Waymark runs the payload itself): nothing to do', facts: {...written, 'boot-units': 'no-systemd\n'}, expected: 'noop'},
		{
			name: 'an offline image with the units written: enabling them waits for the live host, said so',
			target: image,
			facts: offline,
			expected: [enable],
			also: plan => {
				const verdict = judgePlan(step(cloudpipe, 'vpn-image'), {...ctx, target: image}, facts(offline), {live: false}, plan);
				assert.equal(verdict.kind, 'deferred');
				assert.match(verdict.kind === 'deferred' ? verdict.message : '', /Enable the payload unit and the CRL timer/);
			},
		},
	],
};
