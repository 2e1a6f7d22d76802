// directories as data: what is missing is made 0755; what exists is left exactly as it is.
import {uwsgiDirectories, uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import type {CaseTable} from '../cases.js';
import {nodeAnswers} from './answers.js';

/** Every directory of the guide's tree exists (a dir fact is any text when the directory exists). */
const allThere = Object.fromEntries(uwsgiDirectories.map(path => [path, '']));

export const directoriesCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'directories',
	answers: nodeAnswers,
	cases: [
		{
			name: 'only the missing ones are made',
			facts: {'/containers': null, '/distros': ''},
			expected: uwsgiDirectories.filter(path => path !== '/distros').map(path => `dir ${path}`),
			after: allThere,
		},
		{name: 'all there: nothing', facts: allThere, expected: 'noop', notes: [/All 9 directories exist/]},
	],
};
