// tunnel-client as data: the account, its ssh config and key (secret, 0600) and the autossh unit, the .ssh folder
// given to the account; a tunnel counts as up only while its ssh is connected, and without systemd it waits.
import assert from 'node:assert/strict';
import {tunnelSshConfig, tunnelUnitText} from '../../../wizards/hypervisors/tunnel-client.js';
import type {CaseTable} from '../cases.js';
import {absent, answers, boundHypervisors, caseContext, fileAt, noAccount, offline, scriptOf, secrets, tunnelKey} from './fixtures.js';

const ctx = caseContext();
const unitPath = '/etc/systemd/system/autossh-tunnel@.service';
const account = 'tunnel:x:999:999::/home/tunnel:/usr/sbin/nologin\n';
const owners = 'tunnel .ssh\ntunnel .ssh/config\ntunnel .ssh/id_tunnel\n';
const fresh = {passwd: noAccount, config: absent, key: absent, owners: '', unit: null, autossh: '/usr/bin/autossh\n', active: ''};
/** What the first run leaves: the account, its files read back through getent, the unit file. */
const made = {passwd: account, config: tunnelSshConfig(ctx, 'hypervisors', '/home/tunnel'), key: tunnelKey.privateKey, owners};
const converged = {...fresh, ...made, unit: tunnelUnitText(ctx, 'hypervisors'), systemd: 'yes'};
const hv2 = 'autossh-tunnel@hv2.service';
const other = 'autossh-tunnel@192.0.2.30.service';
const bothUp = `${hv2} active up\n${other} active up\n`;
const firstRun = [
	'command Create the service account tunnel',
	'file /home/tunnel/.ssh/config',
	'file /home/tunnel/.ssh/id_tunnel',
	'command Give /home/tunnel/.ssh to tunnel',
];
const restartOther = `systemctl daemon-reload\nsystemctl enable ${other}\nsystemctl restart ${other}`;

export const tunnelClientCases: CaseTable = {
	wizard: boundHypervisors,
	step: 'tunnel-client',
	answers,
	secrets,
	cases: [
		{
			name: 'without systemd: account, config, key and unit are written, and the step waits with how to start them',
			facts: {...fresh, systemd: 'no'},
			expected: [...firstRun, `file ${unitPath}`],
			notes: [/No systemd here: the units are written but not started/, /as tunnel with AUTOSSH_GATETIME=0 from the host's init system/],
			after: made,
			also: plan => {
				const key = fileAt(plan, '/home/tunnel/.ssh/id_tunnel');
				assert.ok(key.secret && key.mode === 0o600 && key.after === tunnelKey.privateKey);
				assert.equal(plan.unmet?.status, 'deferred');
				assert.match(plan.notes[0]!, /No systemd here: the units are written but not started/);
			},
		},
		{
			name: 'written is not running: without systemd the converged step is deferred, never ok',
			facts: {...converged, systemd: 'no'},
			expected: {unmet: 'deferred', reason: /tunnel units are written but nothing starts them/},
			notes: [/as tunnel with AUTOSSH_GATETIME=0 from the host's init system/],
		},
		{
			name: 'with systemd: the same files, then every unit enabled and started',
			facts: {...fresh, systemd: 'yes', active: `${hv2} inactive down\n${other} inactive down\n`},
			expected: [...firstRun, `file ${unitPath}`, `command Start ${hv2}, ${other}`],
			after: {...made, active: bothUp},
		},
		{
			name: 'autossh missing here: installed first, since every unit would fail with 203/EXEC',
			facts: {...converged, autossh: absent, active: bothUp},
			expected: ['command apt-get install autossh'],
			after: {autossh: '/usr/bin/autossh\n'},
		},
		{
			name: 'one unit inactive: only it is started',
			facts: {...converged, active: `${hv2} active up\n${other} inactive down\n`},
			expected: [`command Start ${other}`],
			checks: {'tunnel-hv2': 'pass', 'tunnel-192.0.2.30': 'fail'},
			after: {active: bothUp},
			also: plan => assert.equal(scriptOf(plan, `Start ${other}`), restartOther),
		},
		{name: 'both connected: ok', facts: {...converged, active: bothUp}, expected: 'noop', checks: {'tunnel-hv2': 'pass', 'tunnel-192.0.2.30': 'pass'}},
		{
			name: 'autossh keeps the unit active while its ssh is refused: restarted, and check fails',
			facts: {...converged, active: `${hv2} active up\n${other} active down\n`},
			expected: [`command Start ${other} (${other}: active, but its ssh is not connected)`],
			checks: {'tunnel-hv2': 'pass', 'tunnel-192.0.2.30': 'fail'},
			after: {active: bothUp},
			also: plan => assert.equal(scriptOf(plan, `Start ${other} (${other}: active, but its ssh is not connected)`), restartOther),
		},
		{
			name: 'a changed config restarts every tunnel, up or not',
			facts: {...converged, config: 'Host old\n', active: bothUp},
			expected: ['file /home/tunnel/.ssh/config', 'command Give /home/tunnel/.ssh to tunnel', `command Start ${hv2}, ${other}`],
			after: {config: made.config},
		},
		{
			name: 'an offline image waits for the live host',
			target: offline,
			facts: {passwd: {unavailable: true}},
			expected: {unmet: 'deferred', reason: /the tunnels are set up/},
		},
	],
};
