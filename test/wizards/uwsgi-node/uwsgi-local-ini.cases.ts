// uwsgi-local-ini as data: the node's settings in /etc/uwsgi/local.ini; keys of the operator's own are kept.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary} from '../step-harness.js';
import {nodeAnswers} from './answers.js';

const written = '[uwsgi]\npublic_ip = 192.0.2.10\napi_domain = node1.example.test\nenv = LANG=en_US.UTF-8\n';

export const uwsgiLocalIniCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'uwsgi-local-ini',
	answers: nodeAnswers,
	cases: [
		{
			name: 'no local.ini yet: written from the answers',
			facts: {ini: null},
			expected: ['file /etc/uwsgi/local.ini'],
			also: plan => assert.equal(summary(plan)[0]?.[1], written),
		},
		{name: 'already these values: nothing', facts: {ini: written}, expected: 'noop', notes: [/already holds these values/]},
		{
			name: "the guide's local.ini: its placeholders replaced, its comment kept",
			facts: {ini: fixture('uwsgi/uwsgi-it-guide-local.ini')},
			expected: ['file /etc/uwsgi/local.ini'],
			also: plan => {
				const text = summary(plan)[0]![1];
				assert.match(text, /^public_ip = 192\.0\.2\.10$/m);
				assert.match(text, /^api_domain = node1\.example\.test$/m);
				assert.match(text, /^; additional options$/m);
			},
		},
	],
};
