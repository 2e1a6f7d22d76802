// The CRL's number must grow with every CRL the wizard signs, since the VPN instance refuses one that is not newer
// than its own: also when this machine's clock stepped back since the last CRL.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';
import {MemoryVault} from '../../../source/engine/memory-vault.js';
import {resolveAnswers} from '../../../source/engine/params.js';
import {createCrl, readCrl} from '../../../source/keys/pki.js';
import {splitKeyAndCertificate} from '../../../source/keys/pem.js';
import {cloudpipe} from '../../../wizards/cloudpipe/index.js';
import {projectVault} from '../../../wizards/cloudpipe/cloudpipe-pki.js';
import {answers as required} from './fixtures.js';

const {answers} = resolveAnswers(cloudpipe, required);
const spec = (name: string) => cloudpipe.secrets!.find(each => each.name === name)!;

test('a CRL signed after one numbered in the future (the clock went back) is numbered one above it', async () => {
	const vault = new MemoryVault();
	const caPem = await spec('cloudpipe-ca').generate(answers, vault);
	const {key, certificate} = splitKeyAndCertificate(caPem);
	const future = BigInt(Math.floor(Date.now() / 1000)) + 86_400n;
	// Past half its life (a day of a year), so the next run signs a new one.
	vault.write(
		join(projectVault(answers), 'crl.pem'),
		createCrl({privateKeyPem: key, certificatePem: certificate}, {revoked: [], nextUpdateDays: 1, crlNumber: future}),
	);
	const signed = readCrl(await spec('cloudpipe-crl').generate(answers, vault));
	assert.equal(signed.crlNumber, future + 1n);
	assert.ok(signed.nextUpdate !== undefined && signed.nextUpdate.getTime() - Date.now() > 300 * 86_400_000, 'a year by default');
});
