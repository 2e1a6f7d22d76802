// What the steps render and parse, apart from any plan: the tunnels' ssh config, units and states, the relay's key
// line, the alias keeper, /proc/cgroups, the cron file, and the answers the wizard refuses.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {hypervisors} from '../../../wizards/hypervisors/index.js';
import {aliasKeeper, proxyUnitTexts} from '../../../wizards/hypervisors/container-proxy.js';
import {foundationCronText} from '../../../wizards/hypervisors/foundation-cron.js';
import {memoryControllerOn} from '../../../wizards/hypervisors/memory-cgroup.js';
import {tunnelArgs, tunnelSshConfig, tunnelStates, tunnelUnitText} from '../../../wizards/hypervisors/tunnel-client.js';
import {tunnelPeers} from '../../../wizards/hypervisors/tunnel-peers.js';
import {relayKeyLine} from '../../../wizards/hypervisors/tunnel-relay.js';
import {publicKeyOf} from '../../../wizards/hypervisors/vault-ssh-keys.js';
import {guideCron} from './foundation-cron.cases.js';
import {cgroupsOff} from './memory-cgroup.cases.js';
import {caseContext, tunnelKey} from './fixtures.js';

const ctx = caseContext();

test('memory cgroup: /proc/cgroups read by its enabled column', () => {
	assert.equal(memoryControllerOn(cgroupsOff), false);
	assert.equal(memoryControllerOn(cgroupsOff.replace('memory\t0\t1\t0', 'memory\t0\t80\t1')), true);
	assert.equal(memoryControllerOn(undefined), undefined);
});

test("cron: the guide's four jobs in /etc/cron.d/foundation with the user field and URL_MAAS through the tunnel", () => {
	assert.equal(foundationCronText(ctx, 'hypervisors'), guideCron);
});

test('tunnels: one Host block per hypervisor with RemoteForward and keep-alives, named after the hypervisor targets', () => {
	assert.deepEqual(tunnelPeers(ctx), [
		{name: 'hv2', host: 'hv2', port: '22'},
		{name: '192.0.2.30', host: '192.0.2.30', port: '2222'},
	]);
	assert.deepEqual(
		tunnelPeers(caseContext({tunnelEndpoints: ['10.99.0.2', '10.99.0.3:22']})).map(peer => `${peer.host}:${peer.port}`),
		['10.99.0.2:22', '10.99.0.3:22'],
	);
	const config = tunnelSshConfig(ctx, 'hypervisors', '/home/tunnel');
	assert.equal(
		config.split('\n\n')[0]!.split('\n').slice(1).join('\n'),
		[
			'Host hypervisor-hv2',
			'\tHostName hv2',
			'\tPort 22',
			'\tUser tunnel',
			'\tIdentityFile /home/tunnel/.ssh/id_tunnel',
			'\tIdentitiesOnly yes',
			'\tRemoteForward 127.0.0.1:44443 127.0.0.1:4443',
			'\tServerAliveInterval 30',
			'\tServerAliveCountMax 3',
			'\tExitOnForwardFailure yes',
			'\tBatchMode yes',
			'\tStrictHostKeyChecking accept-new',
		].join('\n'),
	);
	assert.match(config, /^Host hypervisor-192\.0\.2\.30\n\tHostName 192\.0\.2\.30\n\tPort 2222$/m);
});

test('tunnel unit: autossh as PITFALLS §10 says, one instance per hypervisor', () => {
	const unit = tunnelUnitText(ctx, 'hypervisors');
	assert.match(unit, /^Wants=network-online\.target\nAfter=network-online\.target$/m);
	assert.match(unit, /^User=tunnel$/m);
	assert.match(unit, /^Environment=AUTOSSH_GATETIME=0$/m);
	assert.match(
		unit,
		/^ExecStart=\/usr\/bin\/autossh -M 0 -N -o ServerAliveInterval=30 -o ServerAliveCountMax=3 -o ExitOnForwardFailure=yes -o BatchMode=yes hypervisor-%i$/m,
	);
	assert.match(unit, /^Restart=always$/m);
	assert.doesNotMatch(unit, / -f /);
	assert.deepEqual(tunnelArgs('hypervisor-hv2').slice(0, 4), ['/usr/bin/autossh', '-M', '0', '-N']);
});

test('tunnel states: up only while its ssh is connected; an old two-word line never counts as up', () => {
	assert.deepEqual(
		[...tunnelStates('autossh-tunnel@hv2.service active up\nautossh-tunnel@x.service active down\nautossh-tunnel@y.service failed down\n')],
		[
			['autossh-tunnel@hv2.service', {state: 'active', up: true}],
			['autossh-tunnel@x.service', {state: 'active', up: false}],
			['autossh-tunnel@y.service', {state: 'failed', up: false}],
		],
	);
	// What systemd alone said before: active.
	assert.equal(tunnelStates('autossh-tunnel@hv2.service active\n').get('autossh-tunnel@hv2.service')?.up, false);
});

test('tunnel relay: the key may only listen on the relay port', () => {
	assert.equal(relayKeyLine(ctx), `restrict,port-forwarding,permitlisten="127.0.0.1:44443" ${publicKeyOf(tunnelKey.privateKey, 'waymark-tunnel')}`);
});

test('container proxy: the alias is kept by ifupdown where interfaces.d is sourced, netplan where it runs, else a unit', () => {
	assert.equal(aliasKeeper('source /etc/network/interfaces.d/*\n', false), 'ifupdown');
	assert.equal(aliasKeeper('auto lo\niface lo inet loopback\n', false), 'unit');
	assert.equal(aliasKeeper(null, true), 'netplan');
	const units = proxyUnitTexts(ctx, 'hypervisors');
	assert.match(units.socket, /^ListenStream=192\.168\.49\.49:64443$/m);
	assert.match(units.service, /^ExecStart=\/lib\/systemd\/systemd-socket-proxyd 127\.0\.0\.1:44443$/m);
});

test('the wizard refuses bad names before anything runs', () => {
	const errors = hypervisors.validate!({
		...ctx.answers,
		operatorUser: 'Bad User',
		tunnelEndpoints: ['host;rm'],
		lxcContainer: 'web1',
		lxcFrom: '',
		lxcTo: 'x y',
	});
	assert.deepEqual(errors.map(error => error.field).sort(), ['lxcFrom', 'lxcTo', 'operatorUser', 'tunnelEndpoints']);
	assert.deepEqual(hypervisors.validate!(ctx.answers), []);
});
