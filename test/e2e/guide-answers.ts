// The answers each guide needs (its required params), for tests that run every guide the same way.
import {guideAnswers} from '../wizards/vpn-multinode/fixtures.js';

export const answersOf: Readonly<Record<string, Record<string, unknown>>> = {
	'uwsgi-node': {publicIp: '192.0.2.10', apiDomain: 'node1.example.test', peerNodes: ['192.0.2.11']},
	'openvpn-p2p': {serverPublicAddress: '192.0.2.1'},
	cloudpipe: {publicIp: '192.0.2.1', vpnIp: '10.0.0.2', clients: ['alice', 'bob']},
	hypervisors: {operatorUser: 'ops', maasAddress: '192.0.2.20', tunnelEndpoints: ['192.0.2.21']},
	'vpn-multinode': guideAnswers,
};
