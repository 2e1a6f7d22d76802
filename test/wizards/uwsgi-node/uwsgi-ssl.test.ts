// A key's mode is part of its file fact, which a case table's raw facts cannot carry: this one is said directly.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
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
