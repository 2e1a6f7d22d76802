// The mesh's secrets, made the way the runner makes them: a strong psk, one WireGuard key pair per host, and
// fingerprints that reveal neither; public keys derived by Waymark agree with wireguard-tools.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {isWireguardKey, wireguardPublicKey} from '../../../source/keys/wireguard.js';
import {vpnMultinode} from '../../../wizards/vpn-multinode/index.js';
import {parseWireguardKeys, pskSecretName, wireguardSecretName} from '../../../wizards/vpn-multinode/mesh-secrets.js';
import {guideAnswers, runSecrets} from './fixtures.js';

test('secrets: the psk is 32 characters of [A-Za-z0-9]; one WireGuard key pair per host; fingerprints reveal neither', async () => {
	const secrets = await runSecrets(guideAnswers);
	const psk = secrets.get(pskSecretName)!;
	assert.match(psk, /^[A-Za-z\d]{32}$/);
	const keys = parseWireguardKeys(secrets.get(wireguardSecretName)!);
	assert.deepEqual([...keys.keys()], ['vpn.example', 'europe.vpn.example', 'asia.vpn.example']);
	assert.ok([...keys.values()].every(key => isWireguardKey(key)));
	assert.equal(new Set(keys.values()).size, 3);
	for (const spec of vpnMultinode.secrets!) {
		const shown = spec.fingerprint(secrets.get(spec.name)!);
		assert.ok(!shown.includes(psk) && [...keys.values()].every(key => !shown.includes(key)), shown);
	}
});

test('secrets: a public key derived by Waymark equals what `wg pubkey` prints', async t => {
	const found = await execa('wg', ['--version'], {reject: false});
	if (found.exitCode !== 0) {
		if (process.env['CI'] === 'true') {
			assert.fail('wg (wireguard-tools) is required in CI');
		}

		t.skip('wg (wireguard-tools) is not installed');
		return;
	}

	const secrets = await runSecrets(guideAnswers);
	for (const privateKey of parseWireguardKeys(secrets.get(wireguardSecretName)!).values()) {
		const printed = await execa('wg', ['pubkey'], {input: privateKey});
		assert.equal(wireguardPublicKey(privateKey), printed.stdout.trim());
	}
});
