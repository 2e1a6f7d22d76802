// A key's mode is part of its file fact, which a case table's raw facts cannot carry: this one is said directly.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MemoryVault} from '../../../source/engine/memory-vault.js';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {sslSecret} from '../../../wizards/uwsgi-node/uwsgi-ssl.js';
import {context, facts, step, summary} from '../step-harness.js';
import {nodeAnswers} from './answers.js';

test('an existing TLS key is kept, but never left readable by others', () => {
	const ssl = step(uwsgiNode, 'uwsgi-ssl');
	const ctx = context(uwsgiNode, {...nodeAnswers});
	const values = facts({key: 'KEY', certificate: 'CERT'});
	const tight = new Map(values);
	tight.set('key', {...values.get('key')!, mode: 0o600});
	assert.deepEqual(ssl.plan(ctx, tight).actions, []);
	const loose = new Map(values);
	loose.set('key', {...values.get('key')!, mode: 0o644});
	assert.deepEqual(summary(ssl.plan(ctx, loose)), [['command chmod 600 /etc/uwsgi/ssl/uwsgi.it.key (it was 644)', 'chmod 600 /etc/uwsgi/ssl/uwsgi.it.key']]);
});

test('the TLS key is made once per API domain and kept in the vault; a new one only near the expiry warning', async () => {
	const vault = new MemoryVault();
	const answers = {...nodeAnswers, vault: '/vault'};
	const spec = sslSecret('apiDomain', 'uwsgi-node');
	const first = await spec.generate(answers, vault);
	assert.equal(await spec.generate(answers, vault), first, 'a re-run reuses the kept pair');
	assert.equal(vault.read('/vault/uwsgi-node/tls-node1.example.test/key-and-certificate.pem'), first);
	const other = await spec.generate({...answers, apiDomain: 'other.example.test'}, vault);
	assert.notEqual(other, first, 'another domain gets its own pair');
	// 825 days from now, less 29: inside the 30-day warning, so a new pair replaces the kept one.
	const late = sslSecret('apiDomain', 'uwsgi-node', () => new Date(Date.now() + (825 - 29) * 24 * 60 * 60 * 1000));
	const renewed = await late.generate(answers, vault);
	assert.notEqual(renewed, first);
	assert.equal(vault.read('/vault/uwsgi-node/tls-node1.example.test/key-and-certificate.pem'), renewed);
	// Something unreadable in the vault is replaced, not handed out.
	vault.write('/vault/uwsgi-node/tls-node1.example.test/key-and-certificate.pem', 'garbage');
	assert.match(await spec.generate(answers, vault), /BEGIN CERTIFICATE/);
});
