// packages as data (as the uwsgi-node guide lists them): only what is missing, noninteractive, config files kept; a
// name another package provides counts as installed.
import assert from 'node:assert/strict';
import {uwsgiNode} from '../../../wizards/uwsgi-node/index.js';
import {fixture} from '../../edits/fixture.js';
import type {CaseTable} from '../cases.js';
import {summary} from '../step-harness.js';
import {nodeAnswers} from '../uwsgi-node/answers.js';

// What a fresh Debian 13 minbase with libpam0g-dev and chrony reports: libpam-dev is only a name libpam0g-dev provides.
const minbase = fixture('dpkg/debian-13-minbase-libpam0g-dev-chrony.tsv');
const missing = ['git', 'make', 'build-essential', 'libcurl4-openssl-dev', 'quota', 'e2fsprogs', 'iptables'];
const withAll = `${minbase}${missing.map(name => `ii \t${name}\t`).join('\n')}\n`;

export const packagesCases: CaseTable = {
	wizard: uwsgiNode,
	step: 'packages',
	answers: nodeAnswers,
	cases: [
		{
			name: 'only what is missing, noninteractive, config files kept, waiting for another apt',
			facts: {apt: '/usr/bin/apt-get\n', installed: minbase},
			expected: [`command apt-get install ${missing.join(' ')}`],
			notes: [/^Missing: git, make/],
			after: {installed: withAll},
			also: plan => {
				const [install] = summary(plan);
				assert.match(install![1], /-o DPkg::Lock::Timeout=300 install/);
				assert.match(install![1], /DEBIAN_FRONTEND=noninteractive/);
				assert.match(install![1], /--force-confold/);
			},
		},
		{name: 'everything there: nothing', facts: {apt: '/usr/bin/apt-get\n', installed: withAll}, expected: 'noop', notes: [/^Already installed: git/]},
		{
			name: 'no apt-get: the step stops, naming what to install',
			facts: {apt: {text: '', exitCode: 1}, installed: {text: '', exitCode: 127}},
			expected: {throws: /has no apt-get: this wizard installs Debian\/Ubuntu packages \(git, make/},
		},
	],
};
