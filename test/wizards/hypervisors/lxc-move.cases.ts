// lxc-move as data: only on the source hypervisor, numeric owners both ways, nothing once the destination has it.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {absent, answers, boundHypervisors, hv2, scriptOf, secrets} from './fixtures.js';

const move = {lxcContainer: 'web1', lxcFrom: 'hv2', lxcTo: 'root@10.99.0.3'};
const title = 'Stop web1, archive it with numeric owners, copy it to root@10.99.0.3 and extract it there';

export const lxcMoveCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'lxc-move',
	answers,
	secrets,
	target: hv2,
	cases: [
		{name: 'no container asked for: nothing read, nothing done', facts: {}, expected: 'noop', notes: [/lxcContainer is empty/]},
		{
			name: 'another hypervisor than the source: nothing read, nothing done',
			answers: move,
			target: {kind: 'ssh', label: 'ssh:spike@192.0.2.30:2222'},
			facts: {},
			expected: 'noop',
			notes: [/web1 moves from hv2, not from this hypervisor/],
		},
		{
			name: 'on the source: stopped, archived and extracted with numeric owners, copied over ssh with BatchMode and a percentage',
			answers: move,
			facts: {config: 'lxc.uts.name = web1\n', moved: absent},
			expected: [`command ${title}`],
			after: {moved: 'moved\n'},
			also: plan => {
				const script = scriptOf(plan, title);
				assert.match(script, /lxc-stop -n web1/);
				assert.match(script, /tar --numeric-owner -cf - -C \/var\/lib\/lxc\/web1 \./);
				assert.match(script, /tar --numeric-owner -xzf \/var\/lib\/lxc\/web1\.waymark\.tar\.gz -C \/var\/lib\/lxc\/web1/);
				assert.match(script, /progress copy/);
				assert.match(script, /ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new root@10\.99\.0\.3 /);
			},
		},
		{
			name: 'the destination has it: nothing done',
			answers: move,
			facts: {config: 'x', moved: 'moved\n'},
			expected: 'noop',
			notes: [/web1 is already on root@10\.99\.0\.3/],
		},
		{
			name: 'no such container on the source: refused with how to find it',
			answers: move,
			facts: {config: null, moved: absent},
			expected: {throws: /There is no container web1 here \(no \/var\/lib\/lxc\/web1\/config\)/},
		},
	],
};
