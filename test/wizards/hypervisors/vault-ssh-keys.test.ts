// The keys Waymark makes for the operator and the tunnels are read back into the lines authorized_keys gets.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {generateSshKey} from '../../../source/keys/ssh-key.js';
import {publicKeyOf} from '../../../wizards/hypervisors/vault-ssh-keys.js';
import {operatorKey} from './fixtures.js';

test("the operator key is read back from the private key made by Waymark, for ed25519 and the guide's rsa 4096", async () => {
	assert.equal(publicKeyOf(operatorKey.privateKey, 'x'), operatorKey.publicKey);
	const rsa = await generateSshKey({type: 'rsa', bits: 4096, comment: 'guide'});
	assert.equal(publicKeyOf(rsa.privateKey, 'guide'), rsa.publicKey);
	assert.match(rsa.publicKey, /^ssh-rsa /);
});
