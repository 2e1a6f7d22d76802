// The cluster chain against the real iptables in a throwaway network namespace: loaded as the step loads it (tested
// first), printed back by `iptables -S` exactly as the step expects (so a re-run sees it done), loaded twice with
// one jump, and deciding only for its own ports.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {clusterJump, clusterRules} from '../../../wizards/uwsgi-node/cluster-firewall.js';
import {iptablesGuard, ipv6Rules, loadChainAction} from '../../../wizards/common/iptables-chain.js';

const root = process.getuid?.() === 0;
const rules = clusterRules('192.0.2.10', ['192.0.2.11', '192.0.2.12'], {subscription: '2000', legion: ['2100', '2101'], fastrouter: '998'});

test('the cluster chain: UDP from the other nodes from the same port, the fastrouter from the nodes and loopback, then a drop per port', () => {
	assert.deepEqual(rules.slice(0, 5), [
		'-N WAYMARK-UWSGI-CLUSTER',
		'-A WAYMARK-UWSGI-CLUSTER -i lo -p udp -m udp --sport 2000 --dport 2000 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -s 192.0.2.11/32 -d 192.0.2.10/32 -p udp -m udp --sport 2000 --dport 2000 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -s 192.0.2.12/32 -d 192.0.2.10/32 -p udp -m udp --sport 2000 --dport 2000 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -p udp -m udp --dport 2000 -j DROP',
	]);
	assert.deepEqual(rules.slice(-5), [
		'-A WAYMARK-UWSGI-CLUSTER -i lo -p tcp -m tcp --dport 998 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -s 192.0.2.10/32 -d 192.0.2.10/32 -p tcp -m tcp --dport 998 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -s 192.0.2.11/32 -d 192.0.2.10/32 -p tcp -m tcp --dport 998 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -s 192.0.2.12/32 -d 192.0.2.10/32 -p tcp -m tcp --dport 998 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -p tcp -m tcp --dport 998 -j DROP',
	]);
	assert.equal(rules.filter(rule => rule.endsWith('-j DROP')).length, 4, 'subscription, two legions, fastrouter');
});

test('real iptables prints the loaded chain exactly as the step expects, and a second load adds no second jump', {
	skip: root || process.env.CI === 'true' ? false : 'needs root for a network namespace',
}, async () => {
	const load = loadChainAction('WAYMARK-UWSGI-CLUSTER', rules, '').script;
	const script = [load, load, 'iptables -S WAYMARK-UWSGI-CLUSTER', 'echo ---', 'iptables -S INPUT'].join('\n');
	const result = await execa('unshare', ['--net', '--', 'sh', '-c', script], {reject: false});
	assert.equal(result.exitCode, 0, result.stderr);
	const [chain, input] = result.stdout.split('\n---\n');
	assert.deepEqual(chain?.split('\n'), rules);
	assert.deepEqual(input?.split('\n'), ['-P INPUT ACCEPT', clusterJump]);
});

test('over IPv6 the same chain keeps loopback and the drops (no IPv4 source can match), and real ip6tables prints it back exactly', {
	skip: root || process.env.CI === 'true' ? false : 'needs root for a network namespace',
}, async () => {
	const rules6 = ipv6Rules(rules);
	assert.deepEqual(rules6, [
		'-N WAYMARK-UWSGI-CLUSTER',
		'-A WAYMARK-UWSGI-CLUSTER -i lo -p udp -m udp --sport 2000 --dport 2000 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -p udp -m udp --dport 2000 -j DROP',
		'-A WAYMARK-UWSGI-CLUSTER -i lo -p udp -m udp --sport 2100 --dport 2100 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -p udp -m udp --dport 2100 -j DROP',
		'-A WAYMARK-UWSGI-CLUSTER -i lo -p udp -m udp --sport 2101 --dport 2101 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -p udp -m udp --dport 2101 -j DROP',
		'-A WAYMARK-UWSGI-CLUSTER -i lo -p tcp -m tcp --dport 998 -j ACCEPT',
		'-A WAYMARK-UWSGI-CLUSTER -p tcp -m tcp --dport 998 -j DROP',
	]);
	const load = loadChainAction('WAYMARK-UWSGI-CLUSTER', rules, '', rules6).script;
	const script = [load, load, 'iptables -S WAYMARK-UWSGI-CLUSTER', 'echo ---', 'ip6tables -S WAYMARK-UWSGI-CLUSTER', 'echo ---', 'ip6tables -S INPUT'].join(
		'\n',
	);
	const result = await execa('unshare', ['--net', '--', 'sh', '-c', script], {reject: false});
	assert.equal(result.exitCode, 0, result.stderr);
	const [chain, chain6, input6] = result.stdout.split('\n---\n');
	assert.deepEqual(chain?.split('\n'), rules);
	assert.deepEqual(chain6?.split('\n'), rules6);
	assert.deepEqual(input6?.split('\n'), ['-P INPUT ACCEPT', clusterJump]);
});

test('a rule ip6tables rejects stops the load before either family is touched', {
	skip: root || process.env.CI === 'true' ? false : 'needs root for a network namespace',
}, async () => {
	const load = loadChainAction('WAYMARK-UWSGI-CLUSTER', rules, '', ['-N WAYMARK-UWSGI-CLUSTER', '-A WAYMARK-UWSGI-CLUSTER -p nonsense -j DROP']).script;
	const script = [load, 'echo "rc=$?"', 'iptables -S WAYMARK-UWSGI-CLUSTER >/dev/null 2>&1 && echo loaded || echo absent', 'iptables -S INPUT'].join('\n');
	const result = await execa('unshare', ['--net', '--', 'sh', '-c', script], {reject: false});
	assert.match(result.stdout, /^rc=[1-9]\d*\nabsent\n-P INPUT ACCEPT$/, `${result.stdout}\n${result.stderr}`);
});

test("the lockout guard's restore on a fresh host (iptables-save prints nothing) takes the loaded chains of both families away", {
	skip: root || process.env.CI === 'true' ? false : 'needs root for a network namespace',
}, async () => {
	const guard = iptablesGuard();
	const load = loadChainAction('WAYMARK-UWSGI-CLUSTER', rules, '', ipv6Rules(rules)).script;
	const script = [
		'G=$(mktemp -d)',
		guard.snapshot,
		'wc -c < "$G/state"',
		load,
		'iptables -S INPUT | wc -l; ip6tables -S INPUT | wc -l',
		`{\n${guard.restore}\n} && echo restored`,
		'iptables -S WAYMARK-UWSGI-CLUSTER >/dev/null 2>&1 && echo v4-left || echo v4-gone',
		'ip6tables -S WAYMARK-UWSGI-CLUSTER >/dev/null 2>&1 && echo v6-left || echo v6-gone',
		'rm -rf "$G"',
	].join('\n');
	const result = await execa('unshare', ['--net', '--', 'sh', '-c', script], {reject: false});
	assert.equal(result.stdout, ['0', '2', '2', 'restored', 'v4-gone', 'v6-gone'].join('\n'), result.stderr);
});
