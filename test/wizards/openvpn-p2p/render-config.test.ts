// What the config's refusal says beyond its message (the case table matches the message): what to do instead.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {StepFailure} from '../../../source/engine/errors.js';
import {openvpnP2p, renderConfig} from '../../../wizards/openvpn-p2p/index.js';
import {context} from '../step-harness.js';
import {answers, secrets} from './fixtures.js';

test('OpenVPN before 2.6 has no peer-fingerprint: the default mode stops with what to install or choose instead', () => {
	assert.throws(
		() => renderConfig(context(openvpnP2p, answers, secrets), 'server', [2, 5]),
		(error: unknown) => error instanceof StepFailure && /OpenVPN 2\.5 .* has no peer-fingerprint/.test(error.message) && /static-key/.test(error.remedy),
	);
});
