// The run's fact cache: one shared read per host, dropped where something changed, and stale for running steps on the
// other hosts too, since a change on one host changes what the others read of it (a ping across a restarted tunnel).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {FactCache} from '../../source/engine/fact-cache.js';
import type {Target} from '../../source/engine/target.js';
import type {Fact, FactRequest, Step} from '../../source/engine/types.js';

/** A host whose one command fact answers with how many times it was asked. */
function countingHost(label: string): {target: Target; reads: () => number} {
	let reads = 0;
	const target = {
		info: {kind: 'ssh', label},
		async facts(requests: readonly FactRequest[]) {
			reads++;
			return new Map<string, Fact>(requests.map(request => [request.key, {key: request.key, exists: true, text: String(reads), exitCode: 0}]));
		},
	} as unknown as Target;
	return {target, reads: () => reads};
}

const ping = {
	id: 'ping',
	title: 'ping a peer',
	why: '',
	role: 'node',
	facts: () => [{kind: 'command', key: 'peer', command: 'ping -c 1 peer'}],
	plan: () => ({actions: [], notes: []}),
} as unknown as Step;

test('facts: shared until a change; a change on one host makes the others read again for running steps, not for drift', async () => {
	const cache = new FactCache(() => ({answers: {}, target: {kind: 'ssh', label: ''}, bindings: {}, secrets: new Map()}), new AbortController().signal);
	const a = countingHost('ssh:a');
	const b = countingHost('ssh:b');
	cache.remember(a.target, await a.target.facts([{kind: 'command', key: 'ping:peer', command: 'ping -c 1 peer'}]));
	cache.remember(b.target, await b.target.facts([{kind: 'command', key: 'ping:peer', command: 'ping -c 1 peer'}]));
	assert.equal((await cache.read(ping, a.target)).get('peer')?.text, '1', 'the shared read');
	assert.equal(a.reads(), 1);

	cache.invalidate(b.target);
	assert.equal((await cache.read(ping, a.target)).get('peer')?.text, '2', 'read again after a change on b');
	assert.equal((await cache.read(ping, b.target)).get('peer')?.text, '2', 'b itself is read again');
	assert.equal(cache.cached(ping, a.target)?.get('peer')?.text, '1', 'drift still compares with the read of the run start');
	assert.equal(cache.cached(ping, b.target), undefined);

	cache.remember(a.target, await a.target.facts([{kind: 'command', key: 'ping:peer', command: 'ping -c 1 peer'}]));
	assert.equal((await cache.read(ping, a.target)).get('peer')?.text, '3', 'a fresh shared read serves again');
	assert.equal(a.reads(), 3);
});
