// docker-image as data: docker save | progress | gzip into NAME.maas, saved again only when the image id changed.
import assert from 'node:assert/strict';
import type {CaseTable} from '../cases.js';
import {absent, answers, boundHypervisors, scriptOf, secrets} from './fixtures.js';

const image = {dockerImage: 'foundation/probe:latest'};
const title = 'docker save foundation/probe:latest | gzip > /srv/maas/images/foundation_probe_latest.maas';

export const dockerImageCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'docker-image',
	answers,
	secrets,
	cases: [
		{name: 'no image asked for: nothing read, nothing done', facts: {}, expected: 'noop', notes: [/dockerImage is empty/]},
		{
			name: 'saved through a progress filter into a .part file, renamed when whole, the id kept beside it',
			answers: image,
			facts: {id: 'sha256:abc\n', saved: absent, running: ''},
			expected: [`command ${title}`],
			after: {saved: 'sha256:abc\n'},
			also: plan => {
				const script = scriptOf(plan, title);
				assert.ok(
					script.includes(
						'docker save foundation/probe:latest; echo $? > "$ps_"; } | progress save "$size" | gzip > /srv/maas/images/foundation_probe_latest.maas.part',
					),
					script,
				);
				assert.match(script, /mv -f \/srv\/maas\/images\/foundation_probe_latest\.maas\.part \/srv\/maas\/images\/foundation_probe_latest\.maas/);
			},
		},
		{
			name: 'the saved id is the image: nothing done',
			answers: image,
			facts: {id: 'sha256:abc\n', saved: 'sha256:abc\n', running: ''},
			expected: 'noop',
			notes: [/holds foundation\/probe:latest \(sha256:abc\)/],
		},
		{
			name: 'the image changed: saved again; running containers are only named',
			answers: image,
			facts: {id: 'sha256:def\n', saved: 'sha256:abc\n', running: 'c0ffee\nbeef\n'},
			expected: [`command ${title}`],
			notes: [/2 container\(s\) run from foundation\/probe:latest/],
			after: {saved: 'sha256:def\n'},
		},
		{
			name: 'no such image (or no docker): refused with how to list them',
			answers: image,
			facts: {id: absent, saved: absent, running: absent},
			expected: {throws: /Docker has no image foundation\/probe:latest/},
		},
	],
};
