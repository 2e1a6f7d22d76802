// eduvpn-profiles as data: one profile per location merged into the controller's config.yaml, kept ready in a file
// of Waymark's own while eduVPN is not installed; its checks are the guide's "make sure the DNS entries work".
import assert from 'node:assert/strict';
import {parse} from 'yaml';
import {readTopology} from '../../../wizards/vpn-multinode/mesh-topology.js';
import {standaloneProfilesPath, vpnProfiles, withProfiles} from '../../../wizards/vpn-multinode/eduvpn-profiles.js';
import {resolveAnswers} from '../../../source/engine/params.js';
import {vpnMultinode} from '../../../wizards/vpn-multinode/index.js';
import {controllerTarget, guideAnswers, writtenFile} from './fixtures.js';
import {bound, type MeshTable} from './mesh-cases.js';

const configPath = '/etc/vpn-server-api/vpn.example/config.yaml';
const existing = '# instance settings\nvpnProfiles:\n    old: {profileNumber: 9}\napiConsumers: {vpn-user-portal: secret}\n';
const profiles = vpnProfiles(readTopology(resolveAnswers(vpnMultinode, guideAnswers).answers));
const merged = withProfiles(existing, profiles, configPath);
const standalone = withProfiles(null, profiles, standaloneProfilesPath);
const resolved = {'dns:vpn.example': '192.0.2.10\n', 'dns:europe.vpn.example': '192.0.2.55\n', 'dns:asia.vpn.example': '192.0.2.66\n'};
const dnsChecks = {'dns-vpn.example': 'pass', 'dns-europe.vpn.example': 'pass', 'dns-asia.vpn.example': 'pass'} as const;
const waiting = /^eduVPN is not installed on ssh:vpn .*not in Debian's archive.*wait in \/etc\/waymark\/vpn-multinode\/vpn-profiles\.yaml/;

export const eduvpnProfilesCases: MeshTable = {
	wizard: bound(),
	step: 'eduvpn-profiles',
	answers: guideAnswers,
	target: controllerTarget,
	cases: [
		{
			name: 'one profile per location merged into config.yaml, the rest of the file kept, and it parses back',
			facts: {api: '', config: existing, standalone: null, ...resolved},
			expected: [`file ${configPath}`],
			checks: dnsChecks,
			also(plan) {
				const {after} = writtenFile(plan);
				assert.match(after, /^# instance settings$/m);
				const read = parse(after) as {vpnProfiles: Record<string, Record<string, unknown>>; apiConsumers: unknown};
				assert.deepEqual(read.apiConsumers, {'vpn-user-portal': 'secret'});
				assert.deepEqual(Object.keys(read.vpnProfiles), ['europe', 'asia']);
				assert.deepEqual(read.vpnProfiles['asia'], {
					profileNumber: 2,
					displayName: 'Internet Access (Asia)',
					extIf: 'eth0',
					useNat: true,
					defaultGateway: true,
					hostName: 'asia.vpn.example',
					range: '10.20.30.0/24',
					range6: 'fd00:4445:4647::/48',
					dns: ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844'],
					useProxy: false,
					listen: '0.0.0.0',
					managementIp: '10.42.42.3',
				});
			},
		},
		{
			name: 'config.yaml that is not YAML is named, nothing merged into it',
			facts: {api: '', config: 'vpnProfiles: [unclosed\n', standalone: null},
			expected: {throws: /\/etc\/vpn-server-api\/vpn\.example\/config\.yaml is not valid YAML/},
			judged: {kind: 'failed', remedy: /Fix \/etc\/vpn-server-api\/vpn\.example\/config\.yaml \(or move it away\)/},
		},
		{
			name: 'DNS: a name on another address fails, an unresolved one warns',
			facts: {
				api: '',
				config: merged,
				standalone: null,
				'dns:vpn.example': '192.0.2.10\n',
				'dns:europe.vpn.example': '198.51.100.1\n',
				'dns:asia.vpn.example': {text: '', exitCode: 2},
			},
			expected: 'noop',
			notes: [/already holds these 2 profile\(s\)/],
			checks: {'dns-vpn.example': 'pass', 'dns-europe.vpn.example': 'fail', 'dns-asia.vpn.example': 'warn'},
		},
		{
			name: "without eduVPN: the profiles kept ready in Waymark's own file, and the step deferred",
			facts: {api: null, config: null, standalone: null, ...resolved},
			expected: [`file ${standaloneProfilesPath}`],
			also(plan) {
				assert.equal(plan.unmet?.status, 'deferred');
				assert.equal(writtenFile(plan).after, standalone);
			},
		},
		{
			name: 'without eduVPN, the profiles written: deferred with what to install, never ok',
			facts: {api: null, config: null, standalone, ...resolved},
			expected: {unmet: 'deferred', reason: waiting},
			checks: dnsChecks,
			judged: {
				kind: 'deferred',
				message: waiting,
				remedy: /Install eduVPN's vpn-server-api .*eduVPN 3 keeps profiles in \/etc\/vpn-user-portal\/config\.php/,
			},
		},
		{
			// Waiting for eduVPN hides no broken check.
			name: 'without eduVPN, a DNS entry on another address still fails the step',
			facts: {api: null, config: null, standalone, ...resolved, 'dns:asia.vpn.example': '198.51.100.1\n'},
			expected: {unmet: 'deferred', reason: waiting},
			checks: {'dns-asia.vpn.example': 'fail'},
			judged: {kind: 'failed'},
		},
	],
};
