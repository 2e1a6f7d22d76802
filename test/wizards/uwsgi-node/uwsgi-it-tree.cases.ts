// uwsgi-it-tree as data: services and scripts copied once, the emperor unit written, and enabled only once uWSGI is
// built (a unit whose program is missing would restart-loop at every boot).
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {emperorUnit} from '../../../wizards/uwsgi-node/uwsgi-it-tree.js';
import type {CaseTable} from '../cases.js';
import type {FactValues} from '../step-harness.js';
import {nodeAnswers} from './answers.js';

const copy = 'command Copy services and scripts from https://github.com/unbit/uwsgi.it';
const unit = 'file /etc/systemd/system/uwsgi-emperor.service';
const enable = 'command Enable the uwsgi-emperor unit';
const copied: FactValues = {services: '', 'collector.pl': '#!/usr/bin/perl\n', 'configurator.pl': '#!/usr/bin/perl\n', 'dominator.pl': '#!/usr/bin/perl\n'};
const fresh: FactValues = {services: null, unit: null, systemd: 'yes\n', enabled: {text: '', exitCode: 1}, binary: 'missing\n'};

export const uwsgiItTreeCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'uwsgi-it-tree',
	answers: nodeAnswers,
	cases: [
		{
			name: 'a fresh host before uWSGI is built: copied and the unit written, not enabled',
			facts: fresh,
			expected: [copy, unit],
			notes: [/uWSGI is not built into \/opt\/unbit\/uwsgi yet/],
			after: copied,
		},
		{
			name: 'uWSGI built: the unit is enabled too',
			facts: {...fresh, binary: 'built\n'},
			expected: [copy, unit, enable],
			after: {...copied, enabled: 'enabled\n'},
		},
		{
			name: 'copied, written and enabled: nothing',
			facts: {...fresh, ...copied, unit: emperorUnit(), binary: 'built\n', enabled: 'enabled\n'},
			expected: 'noop',
		},
		{
			name: 'one script missing: the tree is copied again',
			facts: {...fresh, ...copied, 'dominator.pl': null, unit: emperorUnit(), binary: 'built\n', enabled: 'enabled\n'},
			expected: [copy],
			after: copied,
		},
		{
			name: 'no systemd: the unit is written for a later boot with systemd, never enabled',
			facts: {...fresh, ...copied, systemd: 'no\n', binary: 'built\n'},
			expected: [unit],
			notes: [/No systemd here/],
		},
		{name: 'no source given: the tree is left alone', answers: {uwsgiItSource: ''}, facts: fresh, expected: 'noop'},
	],
};
