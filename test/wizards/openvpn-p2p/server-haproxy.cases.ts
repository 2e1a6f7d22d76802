// server-haproxy as data: once nginx serves port 80, HAProxy is stopped the guide's way, and as a service too.
import {openvpnP2p} from '../../../wizards/openvpn-p2p/index.js';
import type {CaseTable} from '../cases.js';
import {answers, secrets} from './fixtures.js';

const inactive = {text: 'inactive\n', exitCode: 3};

export const serverHaproxyCases: CaseTable = {
	wizard: openvpnP2p,
	step: 'server-haproxy',
	answers: {...answers, nginx: true, authPassword: 'pw one'},
	secrets,
	cases: [
		{name: 'nginx not chosen: HAProxy keeps serving', answers: {nginx: false}, facts: {}, expected: 'noop', notes: [/HAProxy keeps serving/]},
		{
			name: "supervised by mist.io's supervisord: the guide's supervisorctl stop, with the autostart caveat",
			facts: {supervised: 'RUNNING\n', service: inactive},
			expected: ['command supervisorctl stop haproxy (the guide)'],
			notes: [/autostart=false/],
			after: {supervised: 'STOPPED\n'},
		},
		{
			name: 'a system service as well: stopped and disabled',
			facts: {supervised: 'BACKOFF\n', service: 'active\n'},
			expected: ['command supervisorctl stop haproxy (the guide)', 'command Stop and disable the haproxy service'],
			after: {supervised: 'STOPPED\n', service: inactive},
		},
		{name: 'not running: nothing to do', facts: {supervised: 'STOPPED\n', service: inactive}, expected: 'noop', notes: [/not running/]},
	],
};
