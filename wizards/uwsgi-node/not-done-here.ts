// The guide's instructions no step carries out: an optional hostname, and sections the guide left empty.
import type {NotDoneHere} from '../../source/engine/types.js';

export const uwsgiNodeNotDoneHere: readonly NotDoneHere[] = [
	{
		instruction: 'set /etc/hostname (optional)',
		reason: 'Optional in the guide (each container has its own hostname), and the host was named at install: `hostnamectl set-hostname NAME` does it today.',
	},
	{
		instruction: 'Building uWSGI (the section is empty in the guide)',
		reason:
			'The guide gives no commands. The emperor unit runs /opt/unbit/uwsgi/uwsgi: build uWSGI from its source (make) there, then run the wizard again; check says whether it is there.',
	},
	{
		instruction: 'The first distro, the first vassal, Clustering (empty sections)',
		reason: 'Empty in the guide: it names no rootfs, vassal or cluster procedure, so there is nothing to carry out.',
	},
	{
		instruction: 'install the API server (API node only)',
		reason:
			'The guide gives no procedure, and it is an application deployed on one node rather than node preparation: deploy the uwsgi.it API (Django) as a vassal.',
	},
];
