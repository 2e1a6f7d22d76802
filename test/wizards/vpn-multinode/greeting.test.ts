// The greeting wg-quick's start is wrapped in, run in a real shell: peers holding a session of the interface's
// previous instance would wait ~15 s for WireGuard's rekey without it, and it must never hide a failed start.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {withGreeting} from '../../../wizards/vpn-multinode/wireguard-config.js';

/** A start script followed by one ping to each of the controller's peers, as wireguard-up writes it. */
function greeted(start: string): string {
	return [`${start} || exit $?`, 'ping -n -q -c 1 -W 1 10.42.42.2 >/dev/null 2>&1', 'ping -n -q -c 1 -W 1 10.42.42.3 >/dev/null 2>&1', 'true'].join('\n');
}

test("wg-quick: after a start, a ping to each peer makes the handshake; a failed start is the script's failure", async () => {
	const peers = [{meshIp: '10.42.42.2'}, {meshIp: '10.42.42.3'}];
	// Peers holding a session of the interface's previous instance would wait ~15 s for WireGuard's rekey otherwise.
	assert.equal(withGreeting('systemctl restart wg-quick@wg-mesh', peers), greeted('systemctl restart wg-quick@wg-mesh'));
	// In a shell: the start's exit status wins; pings that fail (no ping, a peer still down) do not fail the step.
	const sh = async (script: string) => (await execa('/bin/sh', ['-c', script], {reject: false, env: {PATH: '/nonexistent'}})).exitCode;
	assert.equal(await sh(withGreeting('exit 3', peers)), 3);
	assert.equal(await sh(withGreeting(':', peers)), 0);
});
